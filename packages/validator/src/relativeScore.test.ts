import { overNormFactor, referenceEpsilon, relativeScore } from './relativeScore.js';

describe('relativeScore', () => {
  it('is the improvement in units of the reference update, capped', () => {
    expect(relativeScore({ improvement: 0.012, reference: 0.01, maxRelativeScore: 3 })).toBeCloseTo(1.2, 12);
    expect(relativeScore({ improvement: 0.5, reference: 0.01, maxRelativeScore: 3 })).toBe(3);
  });

  it('never goes below zero', () => {
    expect(relativeScore({ improvement: -0.2, reference: 0.01, maxRelativeScore: 3 })).toBe(0);
  });

  it('scores no one when the reference itself did not improve the unseen pages', () => {
    for (const reference of [0, -0.01, referenceEpsilon / 2, Number.NaN]) {
      expect(relativeScore({ improvement: 0.01, reference, maxRelativeScore: 3 })).toBe(0);
    }
  });

  it('scores a non-finite improvement as 0', () => {
    expect(
      relativeScore({ improvement: Number.POSITIVE_INFINITY, reference: 0.01, maxRelativeScore: 3 }),
    ).toBe(0);
  });
});

describe('overNormFactor', () => {
  it('leaves updates up to the tolerance alone and cuts louder ones by the square of the excess', () => {
    expect(overNormFactor({ norm: 1.03, referenceNorm: 1, tolerance: 1.5 })).toBe(1);
    expect(overNormFactor({ norm: 1.5, referenceNorm: 1, tolerance: 1.5 })).toBe(1);
    expect(overNormFactor({ norm: 3, referenceNorm: 1, tolerance: 1.5 })).toBe(0.25);
    expect(overNormFactor({ norm: 24, referenceNorm: 2, tolerance: 1.5 })).toBe(0.015625);
    expect(overNormFactor({ norm: 0, referenceNorm: 1, tolerance: 1 })).toBe(1);
  });
});
