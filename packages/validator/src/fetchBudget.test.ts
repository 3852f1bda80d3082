import { fetchBudget } from './fetchBudget.js';

describe('fetchBudget', () => {
  it('gives half the time left before the cutoff, in blocks times the block time', () => {
    // 14 blocks of 1 s left: 7 s. 21 blocks of 12 s: 126 s, capped at 30 s.
    expect(fetchBudget({ head: 22, cutoffBlock: 36, msPerBlock: 1_000, maxMs: 30_000 })).toBe(7_000);
    expect(fetchBudget({ head: 33, cutoffBlock: 54, msPerBlock: 12_000, maxMs: 30_000 })).toBe(30_000);
    expect(fetchBudget({ head: 10, cutoffBlock: 16, msPerBlock: 1_000, maxMs: 30_000, fraction: 0.25 })).toBe(
      1_500,
    );
  });

  it('never hands out less than the floor, or more than the cap, even at or past the cutoff', () => {
    expect(fetchBudget({ head: 40, cutoffBlock: 36, msPerBlock: 1_000, maxMs: 30_000 })).toBe(1_000);
    expect(fetchBudget({ head: 35, cutoffBlock: 36, msPerBlock: 500, maxMs: 30_000, minMs: 400 })).toBe(400);
    expect(fetchBudget({ head: 0, cutoffBlock: 36, msPerBlock: 1_000, maxMs: 600 })).toBe(600);
    expect(fetchBudget({ head: 10, cutoffBlock: 13, msPerBlock: 333.3, maxMs: 30_000, minMs: 1 })).toBe(499);
  });

  it('refuses a fraction outside (0, 1] and times that are not positive', () => {
    expect(() => fetchBudget({ head: 0, cutoffBlock: 9, msPerBlock: 1_000, maxMs: 1, fraction: 0 })).toThrow(
      'fraction',
    );
    expect(() => fetchBudget({ head: 0, cutoffBlock: 9, msPerBlock: 0, maxMs: 1 })).toThrow('fraction');
    expect(() => fetchBudget({ head: 0, cutoffBlock: 9, msPerBlock: Number.NaN, maxMs: 1 })).toThrow();
  });
});
