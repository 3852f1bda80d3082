import { aggregateUpdates } from './aggregateUpdates.js';
import { applyUpdate } from './applyUpdate.js';
import { l2Norm, normBoundScale, scaleValues } from './normBoundScale.js';

describe('normBoundScale', () => {
  it('is 1 within the bound and fround(ρ / norm) past it', () => {
    const values = Float32Array.of(3, 4); // norm 5
    expect(normBoundScale({ values, normBound: 5 })).toBe(1);
    expect(normBoundScale({ values, normBound: 10 })).toBe(1);
    expect(normBoundScale({ values, normBound: 1 })).toBe(Math.fround(0.2));
    expect(normBoundScale({ values })).toBe(1);
  });

  it('refuses a bound that is not positive', () => {
    expect(() => normBoundScale({ values: Float32Array.of(1), normBound: 0 })).toThrow(/positive/);
    expect(() => normBoundScale({ values: Float32Array.of(1), normBound: Number.NaN })).toThrow(/positive/);
  });

  it('sums squares in float64', () => {
    expect(l2Norm(Float32Array.of(3, 4))).toBe(5);
    expect(l2Norm(new Float32Array(0))).toBe(0);
  });

  it('scales values with float32 rounding, or returns them as they are', () => {
    const values = Float32Array.of(0.1, -0.3);
    expect(scaleValues({ values, factor: 1 })).toBe(values);
    expect([...scaleValues({ values, factor: 0.5 })]).toEqual([Math.fround(0.05), Math.fround(-0.15)]);
  });
});

describe('the norm bound in the aggregate', () => {
  const base = new Float32Array(4);
  const loud = { uid: 1, indices: Uint32Array.of(0, 1), values: Float32Array.of(30, 40) }; // norm 50
  const quiet = { uid: 2, indices: Uint32Array.of(2), values: Float32Array.of(2) };

  it('clips each member to ρ before the mean; members within it count as they are', () => {
    const next = aggregateUpdates({ base, updates: [loud, quiet], learningRate: 1, normBound: 5 });
    // loud counts as (3, 4), quiet as 2; the mean divides by 2.
    expect([...next]).toEqual([-1.5, -2, -1, 0]);
  });

  it('gives a louder copy of an update no more pull than the update at the bound', () => {
    const louder = { ...loud, values: loud.values.map((v) => v * 8) };
    const a = aggregateUpdates({ base, updates: [loud], learningRate: 1, normBound: 5 });
    const b = aggregateUpdates({ base, updates: [louder], learningRate: 1, normBound: 5 });
    expect([...b]).toEqual([...a]);
  });

  it('is what applyUpdate does for a set of one', () => {
    const one = applyUpdate({ base, update: loud, learningRate: 0.5, normBound: 5 });
    const set = aggregateUpdates({ base, updates: [loud], learningRate: 0.5, normBound: 5 });
    expect([...one]).toEqual([...set]);
  });
});
