import { decodeTesseraCommitment } from './decodeTesseraCommitment.js';
import { fitCommitmentRecords } from './fitCommitmentRecords.js';
import type { TesseraRecord } from './types.js';

const hash = `0x${'ab'.repeat(32)}` as const;
const runConfig: TesseraRecord = { kind: 'run-config', hash: `0x${'c1'.repeat(32)}` };
/** A record whose encoding is 3 + 40 + uri bytes (a checkpoint's body is 36 bytes and its uri). */
const checkpoint = (window: number, uriBytes: number): TesseraRecord => ({
  kind: 'checkpoint',
  window,
  modelHash: hash,
  uri: 'c'.repeat(uriBytes),
});
const aggregate = (window: number, uriBytes: number): TesseraRecord => ({
  kind: 'aggregate',
  window,
  modelHash: hash,
  normBound: 1.5,
  uids: [1, 2],
  uri: 'a'.repeat(uriBytes),
});

function kindsIn(payload: Uint8Array): string[] {
  const decoded = decodeTesseraCommitment(payload);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.records.map((r) => r.kind).sort();
}

describe('fitCommitmentRecords', () => {
  it('keeps the records of other kinds and replaces the one of the same kind', () => {
    const { payload, dropped } = fitCommitmentRecords({
      record: aggregate(9, 10),
      current: [aggregate(8, 10), checkpoint(8, 10), runConfig],
      maxBytes: 384,
    });
    expect(dropped).toEqual([]);
    expect(kindsIn(payload)).toEqual(['aggregate', 'checkpoint', 'run-config']);
    const decoded = decodeTesseraCommitment(payload);
    expect(decoded.ok && decoded.records.find((r) => r.kind === 'aggregate')).toMatchObject({ window: 9 });
  });

  it('drops the other kinds before the run-config record when they do not all fit', () => {
    // 2 + aggregate 3 + 46 + 200 = 251, run-config 35 → 286, a checkpoint of 3 + 36 + 100 → 425 > 384.
    const { payload, dropped } = fitCommitmentRecords({
      record: aggregate(9, 200),
      current: [checkpoint(8, 100), runConfig],
      maxBytes: 384,
    });
    expect(dropped.map((r) => r.kind)).toEqual(['checkpoint']);
    expect(kindsIn(payload)).toEqual(['aggregate', 'run-config']);
    expect(payload.length).toBe(2 + 3 + 46 + 200 + 35);
  });

  it('drops the run-config record last of all, when nothing else is left', () => {
    const { payload, dropped } = fitCommitmentRecords({
      record: checkpoint(9, 340),
      current: [runConfig, aggregate(8, 10)],
      maxBytes: 384,
    });
    expect(dropped.map((r) => r.kind)).toEqual(['aggregate', 'run-config']);
    expect(kindsIn(payload)).toEqual(['checkpoint']);
  });

  it("keeps a miner's update beside the run config hash it publishes as the owner", () => {
    const update: TesseraRecord = {
      kind: 'update',
      window: 4,
      digest: hash,
      modelHash: hash,
      uri: 'http://10.0.0.5:8080/u/4',
    };
    expect(
      kindsIn(fitCommitmentRecords({ record: runConfig, current: [update], maxBytes: 384 }).payload),
    ).toEqual(['run-config', 'update']);
  });

  it('returns a record too large for any commitment alone, and refuses one that does not encode', () => {
    const { payload, dropped } = fitCommitmentRecords({
      record: checkpoint(1, 500),
      current: [runConfig],
      maxBytes: 384,
    });
    expect(dropped).toEqual([runConfig]);
    expect(payload.length).toBe(2 + 3 + 36 + 500);
    expect(() =>
      fitCommitmentRecords({ record: { kind: 'run-config', hash: '0x12' }, current: [], maxBytes: 384 }),
    ).toThrow(/hash must be 0x and 64 hex digits/);
  });
});
