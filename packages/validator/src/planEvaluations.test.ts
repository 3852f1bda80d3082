import type { Assignment, Commitment } from '@tessera/core';
import { planEvaluations } from './planEvaluations.js';

const hex = (byte: string) => `0x${byte.repeat(32)}` as const;
const commitment = (uid: number, digest: string): Commitment => ({
  uid,
  hotkey: `0x${String(uid).padStart(40, '0')}`,
  window: 4,
  digest: hex(digest),
  uri: `http://store/${uid}`,
  modelHash: hex('ee'),
  block: 40 + uid,
});
const assignment = (pages: number[]): Assignment => ({ pages, shard: 0, seed: hex('00') });

describe('planEvaluations', () => {
  const base = {
    window: 4,
    commitments: [commitment(1, 'aa'), commitment(2, 'bb'), commitment(3, 'aa')],
    assignments: new Map([
      [1, assignment([10, 11, 12, 13])],
      [2, assignment([20, 21, 22, 23])],
      [3, assignment([30, 31, 32, 33])],
    ]),
    unseenPages: [5, 6],
    normBounds: [0.5],
    theta: { uri: 'file:///theta', modelHash: hex('ee') },
  };

  it('measures each update on its sampled own pages when the window drew them', () => {
    const { jobs, duplicates } = planEvaluations({
      ...base,
      ownPages: new Map([
        [1, [11, 13]],
        [2, [20, 23]],
      ]),
    });
    expect(jobs.map((job) => [job.uid, job.pages])).toEqual([
      [1, [11, 13]],
      [2, [20, 23]],
    ]);
    expect(duplicates.map((c) => c.uid)).toEqual([3]);
    expect(jobs[0]).toMatchObject({ shard: 0, unseenPages: [5, 6], normBound: 0.5 });
  });

  it('measures on every assigned page without a sample', () => {
    const { jobs } = planEvaluations(base);
    expect(jobs.map((job) => job.pages)).toEqual([
      [10, 11, 12, 13],
      [20, 21, 22, 23],
    ]);
  });
});
