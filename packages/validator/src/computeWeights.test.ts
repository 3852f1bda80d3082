import { computeWeights } from './computeWeights.js';

describe('computeWeights', () => {
  it('sharpens positive averages by the power and normalizes them', () => {
    const weights = computeWeights({
      scores: new Map([
        [3, 0.1],
        [1, 0.2],
        [2, 0],
        [4, -1],
      ]),
      power: 2,
    });
    expect(weights?.uids).toEqual([1, 3]);
    expect(weights?.weights[0]).toBeCloseTo(0.8, 12);
    expect(weights?.weights[1]).toBeCloseTo(0.2, 12);
  });

  it('keeps tiny averages from underflowing', () => {
    const weights = computeWeights({
      scores: new Map([
        [0, 1e-200],
        [1, 2e-200],
      ]),
      power: 3,
    });
    expect(weights?.weights[0]).toBeCloseTo(1 / 9, 12);
  });

  it('returns undefined when no average is positive', () => {
    expect(computeWeights({ scores: new Map([[1, 0]]), power: 2 })).toBeUndefined();
    expect(computeWeights({ scores: new Map(), power: 2 })).toBeUndefined();
  });
});
