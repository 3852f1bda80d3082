import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isChainError } from '../../errors/chain.js';
import { createEvmRevealStore } from './createEvmRevealStore.js';
import type { EvmPendingReveal } from './types.js';

const reveal = (n: number): EvmPendingReveal => ({
  subnet: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
  validator: '0x1111111111111111111111111111111111111111',
  epoch: n,
  hash: `0x${n.toString(16).padStart(64, '0')}`,
  uids: [0, 4],
  values: [65535, 12],
  salt: `0x${'ab'.repeat(32)}`,
  commitBlock: 100 + n,
});

describe('createEvmRevealStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-evm-reveals-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps pending reveals across restarts in an owner-only file', () => {
    const path = join(dir, 'reveals.json');
    const store = createEvmRevealStore({ path });
    store.add(reveal(1));
    store.add(reveal(2));
    store.remove(reveal(1).hash);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(createEvmRevealStore({ path }).list()).toEqual([reveal(2)]);
    expect(createEvmRevealStore().list()).toEqual([]);
  });

  it('refuses a file that does not hold EVM reveals, a subtensor reveal list included', () => {
    const path = join(dir, 'reveals.json');
    const subtensor = { netuid: 1, hash: reveal(1).hash, uids: [0], values: [1], salt: [1], versionKey: '0' };
    for (const content of [
      JSON.stringify([subtensor]),
      JSON.stringify([{ ...reveal(1), salt: '0x12' }]),
      JSON.stringify([{ ...reveal(1), values: [1] }]),
      JSON.stringify([{ ...reveal(1), uids: [70_000, 1] }]),
    ]) {
      writeFileSync(path, content);
      let thrown: unknown;
      try {
        createEvmRevealStore({ path });
      } catch (error) {
        thrown = error;
      }
      expect(isChainError(thrown) && thrown.reason).toBe('invalid-parameter');
    }
  });
});
