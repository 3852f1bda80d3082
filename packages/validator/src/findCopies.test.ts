import { createRandom } from '@tessera/core';
import { findCopies, sparseDot } from './findCopies.js';
import type { WindowUpdate } from './findCopies.js';

/** A deterministic pseudo-random vector on the given indices. */
function vector(seed: number, indices: number[]): Float32Array {
  const random = createRandom({ seed });
  return Float32Array.from(indices, () => random.next() - 0.5);
}
const all = Array.from({ length: 400 }, (_, i) => i);
const update = (uid: number, block: number, values: Float32Array, indices = all): WindowUpdate => ({
  uid,
  block,
  indices: Uint32Array.from(indices),
  values,
});
const cosine = (a: WindowUpdate, b: { indices: Uint32Array; values: Float32Array }) =>
  sparseDot(a, b) / Math.sqrt(sparseDot(a, a) * sparseDot(b, b));

describe('findCopies', () => {
  const honestA = update(1, 10, vector(1, all));
  const honestB = update(2, 10, vector(2, all));

  it('finds no copy among independent updates', () => {
    expect(
      findCopies({ updates: [honestA, honestB, update(3, 11, vector(3, all))], copyCosine: 0.5 }),
    ).toEqual([]);
  });

  it('names the later commitment the copy, and its residual is orthogonal to what it copied', () => {
    const own = vector(7, all);
    const blend = update(
      5,
      12,
      own.map((v, i) => v + 0.8 * honestA.values[i]!),
    );
    const copies = findCopies({ updates: [blend, honestA, honestB], copyCosine: 0.5 });
    expect(copies.map((c) => [c.uid, c.copyOf])).toEqual([[5, [1]]]);
    const residual = copies[0]!.residual;
    expect(Math.abs(cosine(honestA, residual))).toBeLessThan(1e-6);
    // What remains is (nearly) the copier's own part.
    expect(cosine(update(0, 0, own), residual)).toBeGreaterThan(0.95);
  });

  it('breaks a tie in block by uid: the higher uid is the copy', () => {
    const copy = update(0, 10, Float32Array.from(honestA.values));
    const [found] = findCopies({ updates: [honestA, copy], copyCosine: 0.5 });
    expect(found).toMatchObject({ uid: 1, copyOf: [0] });
  });

  it('takes out every earlier direction a blend of several leans on', () => {
    const blend = update(
      9,
      20,
      honestA.values.map((v, i) => 0.7 * v + 0.7 * honestB.values[i]!),
    );
    const [found] = findCopies({ updates: [honestA, honestB, blend], copyCosine: 0.5 });
    expect(found!.copyOf.sort()).toEqual([1, 2]);
    const norm = Math.sqrt(sparseDot(found!.residual, found!.residual));
    expect(norm).toBeLessThan(1e-4);
  });

  it('compares over shared entries only: updates of other shards never copy each other', () => {
    const low = all.slice(0, 200);
    const high = all.slice(200);
    const a = update(1, 1, vector(4, low), low);
    const b = update(2, 2, Float32Array.from(a.values), high);
    expect(findCopies({ updates: [a, b], copyCosine: 0.5 })).toEqual([]);
  });

  it('ignores an all-zero update', () => {
    expect(findCopies({ updates: [honestA, update(2, 11, new Float32Array(400))], copyCosine: 0.1 })).toEqual(
      [],
    );
  });
});
