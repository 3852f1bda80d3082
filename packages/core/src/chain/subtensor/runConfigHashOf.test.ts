import type { Address, Hex32 } from '../types.js';
import { runConfigHashOf } from './runConfigHashOf.js';
import type { TesseraRecord } from './types.js';

const owner = `0x${'0a'.repeat(32)}` as Address;
const miner = `0x${'0b'.repeat(32)}` as Address;
const subnetHash = `0x${'c1'.repeat(32)}` as Hex32;
const forgedHash = `0x${'f0'.repeat(32)}` as Hex32;
const update: TesseraRecord = {
  kind: 'update',
  window: 3,
  digest: `0x${'11'.repeat(32)}`,
  modelHash: `0x${'22'.repeat(32)}`,
  uri: 'http://10.0.0.5/u/3',
};

describe('runConfigHashOf', () => {
  it("reads the hash in the owner hotkey's commitment", () => {
    expect(
      runConfigHashOf({
        ownerHotkey: owner,
        entries: [{ hotkey: owner, records: [update, { kind: 'run-config', hash: subnetHash }] }],
      }),
    ).toBe(subnetHash);
  });

  it("ignores a miner's run-config record, whether or not the owner published one", () => {
    const forged = { hotkey: miner, records: [update, { kind: 'run-config', hash: forgedHash }] } as const;
    expect(
      runConfigHashOf({
        ownerHotkey: owner,
        entries: [forged, { hotkey: owner, records: [{ kind: 'run-config', hash: subnetHash }] }],
      }),
    ).toBe(subnetHash);
    expect(runConfigHashOf({ ownerHotkey: owner, entries: [forged] })).toBeUndefined();
    expect(
      runConfigHashOf({ ownerHotkey: owner, entries: [forged, { hotkey: owner, records: [update] }] }),
    ).toBeUndefined();
  });

  it('reads none without an owner hotkey, or with the zero account the item holds while none is set', () => {
    const entries = [
      { hotkey: owner, records: [{ kind: 'run-config', hash: subnetHash }] as TesseraRecord[] },
    ];
    expect(runConfigHashOf({ ownerHotkey: undefined, entries })).toBeUndefined();
    const zero = `0x${'00'.repeat(32)}` as Address;
    expect(
      runConfigHashOf({
        ownerHotkey: zero,
        entries: [{ hotkey: zero, records: [{ kind: 'run-config', hash: forgedHash }] }],
      }),
    ).toBeUndefined();
  });

  it('compares hotkeys and returns the hash in lowercase hex', () => {
    expect(
      runConfigHashOf({
        ownerHotkey: owner.toUpperCase().replace('0X', '0x') as Address,
        entries: [{ hotkey: owner, records: [{ kind: 'run-config', hash: `0x${'C1'.repeat(32)}` }] }],
      }),
    ).toBe(subnetHash);
  });
});
