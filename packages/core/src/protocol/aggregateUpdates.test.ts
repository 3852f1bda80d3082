import { AggregationError } from '../errors/protocol.js';
import { createRandom } from '../common/createRandom.js';
import type { Random } from '../common/createRandom.js';
import { aggregateUpdates } from './aggregateUpdates.js';
import type { AggregateMember } from './aggregateUpdates.js';
import { applyUpdate } from './applyUpdate.js';

const bitsOf = (values: Float32Array) => new Uint32Array(values.buffer, values.byteOffset, values.length);

function randomUpdate(random: Random, uid: number, length: number): AggregateMember {
  const picked = [...new Set(Array.from({ length: 1 + random.int(length) }, () => random.int(length)))].sort(
    (a, b) => a - b,
  );
  return {
    uid,
    indices: Uint32Array.from(picked),
    values: Float32Array.from(picked, () => random.normal() * 10 ** (random.int(6) - 3)),
  };
}

/** The rule written out entry by entry, straight from docs/protocol.md. */
function naiveAggregate(base: Float32Array, updates: AggregateMember[], learningRate: number): Float32Array {
  const byUid = [...updates].sort((a, b) => a.uid - b.uid);
  const out = new Float32Array(base.length);
  const eta = Math.fround(learningRate);
  for (let i = 0; i < base.length; i++) {
    let sum = 0;
    for (const update of byUid) {
      const t = update.indices.indexOf(i);
      if (t !== -1) sum = Math.fround(sum + update.values[t]!);
    }
    out[i] =
      updates.length === 0
        ? base[i]!
        : Math.fround(base[i]! - Math.fround(eta * Math.fround(sum / updates.length)));
  }
  return out;
}

describe('aggregateUpdates', () => {
  it('matches the rule written out naively, bit for bit', () => {
    const random = createRandom({ seed: 41 });
    for (let trial = 0; trial < 60; trial++) {
      const length = 1 + random.int(200);
      const base = Float32Array.from({ length }, () => random.normal());
      const updates = Array.from({ length: random.int(6) }, (_, j) =>
        randomUpdate(random, j * 3 + random.int(3), length),
      );
      const learningRate = random.pick([1, 0.7, 0.1, 3.3]);
      expect(bitsOf(aggregateUpdates({ base, updates, learningRate }))).toEqual(
        bitsOf(naiveAggregate(base, updates, learningRate)),
      );
    }
  });

  it('gives the same bits whatever the order of the updates', () => {
    const random = createRandom({ seed: 42 });
    const length = 500;
    const base = Float32Array.from({ length }, () => random.normal());
    // Values of very different magnitudes, so float32 addition order would show.
    const updates = Array.from({ length: 8 }, (_, j) => randomUpdate(random, 10 + j * 7, length));
    const reference = bitsOf(aggregateUpdates({ base, updates, learningRate: 0.7 }));
    for (let shuffle = 0; shuffle < 10; shuffle++) {
      const shuffled = [...updates];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = random.int(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      expect(bitsOf(aggregateUpdates({ base, updates: shuffled, learningRate: 0.7 }))).toEqual(reference);
    }
  });

  it('sums in ascending uid order, where order changes float32 bits', () => {
    // In float32, (1 + 1e8) − 1e8 = 0 (the 1 is lost) but (1e8 − 1e8) + 1 = 1.
    const base = new Float32Array(1);
    const one = { indices: Uint32Array.of(0), values: Float32Array.of(1) };
    const big = { indices: Uint32Array.of(0), values: Float32Array.of(1e8) };
    const minusBig = { indices: Uint32Array.of(0), values: Float32Array.of(-1e8) };
    const oneFirst = aggregateUpdates({
      base,
      updates: [
        { uid: 2, ...big },
        { uid: 1, ...one },
        { uid: 3, ...minusBig },
      ],
      learningRate: 3,
    });
    const oneLast = aggregateUpdates({
      base,
      updates: [
        { uid: 1, ...big },
        { uid: 3, ...one },
        { uid: 2, ...minusBig },
      ],
      learningRate: 3,
    });
    expect(oneFirst[0]).toBe(0);
    expect(oneLast[0]).toBe(-1);
  });

  it('divides by the number of updates, also where only some touch an entry', () => {
    const base = Float32Array.of(10, 10, 10);
    const next = aggregateUpdates({
      base,
      updates: [
        { uid: 0, indices: Uint32Array.of(0, 1), values: Float32Array.of(4, 2) },
        { uid: 1, indices: Uint32Array.of(0), values: Float32Array.of(2) },
      ],
      learningRate: 1,
    });
    expect([...next]).toEqual([7, 9, 10]);
    expect([...base]).toEqual([10, 10, 10]);
  });

  it('returns a copy of θ for an empty set', () => {
    const base = Float32Array.of(1, -0, 3);
    const next = aggregateUpdates({ base, updates: [], learningRate: 1 });
    expect(next).not.toBe(base);
    expect(bitsOf(next)).toEqual(bitsOf(base));
  });

  it.each<[string, Partial<AggregateMember>[], string, number?]>([
    ['a duplicate uid', [{ uid: 4 }, { uid: 4 }], 'duplicate-uid'],
    [
      'an index past the end',
      [{ indices: Uint32Array.of(10), values: Float32Array.of(1) }],
      'index-out-of-range',
    ],
    [
      'unsorted indices',
      [{ indices: Uint32Array.of(3, 2), values: Float32Array.of(1, 1) }],
      'unsorted-index',
    ],
    [
      'a repeated index',
      [{ indices: Uint32Array.of(2, 2), values: Float32Array.of(1, 1) }],
      'unsorted-index',
    ],
    ['a NaN value', [{ indices: Uint32Array.of(2), values: Float32Array.of(NaN) }], 'non-finite'],
    [
      'lengths that differ',
      [{ indices: Uint32Array.of(2), values: Float32Array.of(1, 2) }],
      'length-mismatch',
    ],
    ['a negative uid', [{ uid: -1 }], 'invalid-parameter'],
    ['plain arrays', [{ indices: [1] as unknown as Uint32Array }], 'invalid-parameter'],
    ['an infinite learning rate', [{}], 'invalid-parameter', Infinity],
    ['a negative learning rate', [{}], 'invalid-parameter', -1],
  ])('rejects %s', (_name, overrides, reason, learningRate = 1) => {
    const updates = overrides.map((o, j) => ({
      uid: j,
      indices: Uint32Array.of(1),
      values: Float32Array.of(1),
      ...o,
    }));
    const call = () => aggregateUpdates({ base: new Float32Array(10), updates, learningRate });
    expect(call).toThrow(AggregationError);
    expect(call).toThrow(expect.objectContaining({ reason }));
  });
});

describe('applyUpdate', () => {
  it('is the aggregate of a set of one, bit for bit', () => {
    const random = createRandom({ seed: 43 });
    for (let trial = 0; trial < 40; trial++) {
      const length = 1 + random.int(300);
      const base = Float32Array.from({ length }, () => random.normal());
      const update = randomUpdate(random, 5, length);
      const learningRate = random.pick([1, 0.7, 0.01]);
      expect(bitsOf(applyUpdate({ base, update, learningRate }))).toEqual(
        bitsOf(aggregateUpdates({ base, updates: [update], learningRate })),
      );
    }
  });

  it('computes θ − η·Δ̂ and leaves θ alone', () => {
    const base = Float32Array.of(1, 2, 3);
    const next = applyUpdate({
      base,
      update: { indices: Uint32Array.of(1), values: Float32Array.of(0.5) },
      learningRate: 2,
    });
    expect([...next]).toEqual([1, 1, 3]);
    expect([...base]).toEqual([1, 2, 3]);
  });

  it('rejects an index past the end', () => {
    expect(() =>
      applyUpdate({
        base: new Float32Array(2),
        update: { indices: Uint32Array.of(2), values: Float32Array.of(1) },
        learningRate: 1,
      }),
    ).toThrow(expect.objectContaining({ reason: 'index-out-of-range' }));
  });
});
