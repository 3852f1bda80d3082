import { sampleOwnPages } from './drawEvaluationPages.js';
import { ValidatorError } from './errors/validator.js';

const evalSeed = `0x${'5a'.repeat(32)}` as const;
const pages = Array.from({ length: 480 }, (_, i) => 1000 + 7 * i);

describe('sampleOwnPages', () => {
  it('keeps count distinct assigned pages, in assignment order, the same for the same seed and uid', () => {
    const sample = sampleOwnPages({ evalSeed, uid: 3, pages, count: 32 });
    expect(sample).toHaveLength(32);
    expect(new Set(sample).size).toBe(32);
    for (const page of sample) expect(pages).toContain(page);
    expect(sample).toEqual([...sample].sort((a, b) => a - b));
    expect(sampleOwnPages({ evalSeed, uid: 3, pages, count: 32 })).toEqual(sample);
  });

  it('draws another sample for another uid or another seed, so no miner can tell which pages count', () => {
    const sample = sampleOwnPages({ evalSeed, uid: 3, pages, count: 32 });
    expect(sampleOwnPages({ evalSeed, uid: 4, pages, count: 32 })).not.toEqual(sample);
    expect(sampleOwnPages({ evalSeed: `0x${'5b'.repeat(32)}`, uid: 3, pages, count: 32 })).not.toEqual(
      sample,
    );
  });

  it('spreads over the whole assignment, not its first pages', () => {
    const positions = sampleOwnPages({ evalSeed, uid: 1, pages, count: 32 }).map((page) => (page - 1000) / 7);
    expect(Math.max(...positions)).toBeGreaterThan(240);
    expect(Math.min(...positions)).toBeLessThan(240);
  });

  it('keeps every page when count covers the assignment', () => {
    expect(sampleOwnPages({ evalSeed, uid: 0, pages: [5, 2, 9], count: 3 })).toEqual([5, 2, 9]);
    expect(sampleOwnPages({ evalSeed, uid: 0, pages: [5, 2, 9], count: 32 })).toEqual([5, 2, 9]);
  });

  it('refuses a bad seed, uid or count', () => {
    expect(() => sampleOwnPages({ evalSeed: '0x12', uid: 0, pages, count: 2 })).toThrow(ValidatorError);
    expect(() => sampleOwnPages({ evalSeed, uid: -1, pages, count: 2 })).toThrow(ValidatorError);
    expect(() => sampleOwnPages({ evalSeed, uid: 0, pages, count: 0 })).toThrow(ValidatorError);
  });
});
