import { overNormFactor, referenceEpsilon, relativeScore, windowScore } from './relativeScore.js';

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

describe('windowScore', () => {
  const reference = { own: 0.03, unseen: 0.02 };
  const score = (own: number, unseen: number) =>
    windowScore({ gains: { own, unseen }, reference, maxRelativeScore: 3 });

  it('is 1 for the reference itself and the least of the own, unseen and specific terms', () => {
    expect(score(0.03, 0.02)).toBeCloseTo(1, 12);
    // own 0.9, unseen 1, specific (0.027 − 0.02) / 0.01 = 0.7.
    expect(score(0.027, 0.02)).toBeCloseTo(0.7, 12);
  });

  it('pays an update trained elsewhere nothing, however much it helps every page', () => {
    // As good as the reference on unseen pages and own pages alike: no specific gain.
    expect(score(0.03, 0.03)).toBe(0);
    expect(score(0.05, 0.06)).toBe(0);
  });

  it('pays an update that only memorizes its pages nothing either', () => {
    expect(score(0.09, -0.01)).toBe(0);
  });

  it('scores no one when the reference gained nothing specific', () => {
    expect(
      windowScore({
        gains: { own: 0.03, unseen: 0.01 },
        reference: { own: 0.02, unseen: 0.02 },
        maxRelativeScore: 3,
      }),
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
