import { markDuplicates } from './markDuplicates.js';

const digest = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const;

describe('markDuplicates', () => {
  it('keeps the earliest commitment of each digest (lowest block, then lowest uid)', () => {
    const commitments = [
      { uid: 5, digest: digest(1), block: 10 },
      { uid: 2, digest: digest(1), block: 12 },
      { uid: 9, digest: digest(2), block: 11 },
      { uid: 3, digest: digest(2).toUpperCase().replace('0X', '0x') as `0x${string}`, block: 11 },
      { uid: 1, digest: digest(3), block: 13 },
    ];
    const { unique, duplicates } = markDuplicates({ commitments });
    expect(unique.map((c) => c.uid)).toEqual([1, 3, 5]);
    expect(duplicates.map((c) => c.uid)).toEqual([2, 9]);
  });

  it('returns everything as unique when no digest repeats', () => {
    const commitments = [2, 0, 1].map((uid) => ({ uid, digest: digest(uid), block: 1 }));
    expect(markDuplicates({ commitments })).toEqual({
      unique: [0, 1, 2].map((uid) => ({ uid, digest: digest(uid), block: 1 })),
      duplicates: [],
    });
  });
});
