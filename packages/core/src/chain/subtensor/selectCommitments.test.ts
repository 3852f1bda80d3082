import type { Hex32 } from '../types.js';
import { selectLeadRecord } from './selectLeadRecord.js';
import { selectWindowCommitments } from './selectWindowCommitments.js';
import type { CommitmentEntry, ValidatorStanding } from './types.js';

const h = (byte: string) => `0x${byte.repeat(32)}` as Hex32;
const hotkey = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const;

function update(uid: number | undefined, block: number, window: number): CommitmentEntry {
  return {
    hotkey: hotkey(uid ?? 999),
    uid,
    block,
    records: [{ kind: 'update', window, digest: h('aa'), modelHash: h('bb'), uri: `u${uid}` }],
  };
}

describe('selectWindowCommitments', () => {
  it('keeps the window’s updates from registered hotkeys included before the deadline, by uid', () => {
    const entries = [
      update(5, 100, 3),
      update(2, 119, 3),
      update(7, 120, 3),
      update(1, 90, 2),
      update(undefined, 100, 3),
    ];
    const selected = selectWindowCommitments({ entries, window: 3, deadline: 120 });
    expect(selected.map((c) => [c.uid, c.block])).toEqual([
      [2, 119],
      [5, 100],
    ]);
    expect(selected[0]).toEqual({
      uid: 2,
      hotkey: hotkey(2),
      window: 3,
      digest: h('aa'),
      uri: 'u2',
      modelHash: h('bb'),
      block: 119,
    });
  });

  it('ignores aggregates and checkpoints', () => {
    const entry: CommitmentEntry = {
      hotkey: hotkey(1),
      uid: 1,
      block: 10,
      records: [
        { kind: 'aggregate', window: 3, modelHash: h('cc'), normBound: 1, uids: [1], uri: 'a' },
        { kind: 'checkpoint', window: 3, modelHash: h('cc'), uri: 'c' },
      ],
    };
    expect(selectWindowCommitments({ entries: [entry], window: 3, deadline: 100 })).toEqual([]);
  });
});

describe('selectLeadRecord', () => {
  const aggregate = (uid: number, window: number, block = 10): CommitmentEntry => ({
    hotkey: hotkey(uid),
    uid,
    block,
    records: [
      {
        kind: 'aggregate',
        window,
        modelHash: h(String(uid).padStart(2, '0')),
        normBound: 1,
        uids: [uid],
        uri: `agg${uid}`,
      },
    ],
  });
  const standings = new Map<number, ValidatorStanding>([
    [1, { stake: 100n, validatorPermit: true }],
    [2, { stake: 500n, validatorPermit: true }],
    [3, { stake: 900n, validatorPermit: false }],
    [4, { stake: 500n, validatorPermit: true }],
  ]);

  it('picks the highest-stake permitted validator that published for the window', () => {
    const lead = selectLeadRecord({
      entries: [aggregate(1, 4), aggregate(2, 4), aggregate(3, 4), aggregate(4, 3)],
      kind: 'aggregate',
      window: 4,
      standings,
    });
    expect(lead?.entry.uid).toBe(2);
    expect(lead?.record).toEqual({
      kind: 'aggregate',
      window: 4,
      modelHash: h('02'),
      normBound: 1,
      uids: [2],
      uri: 'agg2',
    });
  });

  it('breaks stake ties by the lowest uid and honours the block bound', () => {
    expect(
      selectLeadRecord({
        entries: [aggregate(4, 4), aggregate(2, 4)],
        kind: 'aggregate',
        window: 4,
        standings,
      })?.entry.uid,
    ).toBe(2);
    const late = selectLeadRecord({
      entries: [aggregate(2, 4, 50), aggregate(1, 4, 10)],
      kind: 'aggregate',
      window: 4,
      standings,
      beforeBlock: 50,
    });
    expect(late?.entry.uid).toBe(1);
  });

  it('returns undefined when no validator published one', () => {
    expect(
      selectLeadRecord({ entries: [aggregate(3, 4)], kind: 'aggregate', window: 4, standings }),
    ).toBeUndefined();
    expect(selectLeadRecord({ entries: [aggregate(2, 4)], kind: 'checkpoint', standings })).toBeUndefined();
  });

  it('ignores checkpoints from the future', () => {
    const checkpoint = (uid: number, window: number): CommitmentEntry => ({
      hotkey: hotkey(uid),
      uid,
      block: 5,
      records: [{ kind: 'checkpoint', window, modelHash: h('dd'), uri: `ck${uid}` }],
    });
    const lead = selectLeadRecord({
      entries: [checkpoint(2, 99), checkpoint(1, 8)],
      kind: 'checkpoint',
      standings,
      maxWindow: 10,
    });
    expect(lead?.entry.uid).toBe(1);
    expect(lead?.record.window).toBe(8);
  });
});
