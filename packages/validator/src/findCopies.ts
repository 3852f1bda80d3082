import { l2Norm } from '@tessera/core';
import type { SparseUpdate } from '@tessera/core';

/** One decoded update of a window, with where it stands in commitment order. */
export type WindowUpdate = SparseUpdate & {
  uid: number;
  /** Block that included the commitment. */
  block: number;
};

/** Parameters of {@link findCopies}. */
export type FindCopiesParameters = {
  /** The window's decoded updates (any order; at most one per uid). */
  updates: readonly WindowUpdate[];
  /** `copyCosine`: the cosine above which a later update copies an earlier one. */
  copyCosine: number;
};

/** A later update found to carry an earlier one's direction. */
export type Copy = {
  uid: number;
  /** The earlier uids it copies, most similar first. */
  copyOf: number[];
  /** Its largest cosine with an earlier update. */
  cosine: number;
  /** What remains of it once the copied directions are taken out (same indices). */
  residual: SparseUpdate;
};

/**
 * The copy rule of a window: updates are put in commitment order (block, then uid) and each
 * is compared with every earlier one by cosine `⟨a, b⟩ / (‖a‖·‖b‖)` over their sparse
 * entries (sums in float64 in index order). An update whose cosine with some earlier update
 * exceeds `copyCosine` is a copy of each earlier update whose cosine with it exceeds
 * `copyCosine / 2`; the later commitment is always the copy. Its residual is the update with
 * those directions projected out one after the other (Gram–Schmidt, most similar first), so
 * a blend `own + β·other` keeps `own` and loses `β·other`.
 *
 * Honest updates of one window, trained from the same θ_w on different pages, share some
 * direction (what every page teaches); docs/protocol.md gives their measured cosines, well
 * below the default 0.5.
 *
 * @returns The copies, ascending by uid.
 * @example
 * for (const copy of findCopies({ updates, copyCosine: hyperparameters.copyCosine })) rescore(copy);
 */
export function findCopies(parameters: FindCopiesParameters): Copy[] {
  const ordered = [...parameters.updates].sort((a, b) => a.block - b.block || a.uid - b.uid);
  const norms = ordered.map((update) => l2Norm(update.values));
  const copies: Copy[] = [];
  for (let j = 1; j < ordered.length; j++) {
    const later = ordered[j]!;
    if (!(norms[j]! > 0)) continue;
    const similar: { index: number; cosine: number }[] = [];
    for (let i = 0; i < j; i++) {
      if (!(norms[i]! > 0)) continue;
      const cosine = sparseDot(later, ordered[i]!) / (norms[j]! * norms[i]!);
      similar.push({ index: i, cosine });
    }
    const largest = similar.reduce((m, s) => Math.max(m, s.cosine), -1);
    if (!(largest > parameters.copyCosine)) continue;
    const victims = similar
      .filter((s) => s.cosine > parameters.copyCosine / 2)
      .sort((a, b) => b.cosine - a.cosine || ordered[a.index]!.uid - ordered[b.index]!.uid);
    // Everything below lives on the later update's entries: a victim's entries elsewhere
    // cannot be taken out of an update that does not have them.
    const residual = Float64Array.from(later.values);
    const basis: Float64Array[] = [];
    for (const { index } of victims) {
      const direction = alignTo(later.indices, ordered[index]!);
      for (const b of basis) subtract(direction, b, dot(direction, b));
      const length = Math.sqrt(dot(direction, direction));
      if (!(length > 0)) continue;
      for (let t = 0; t < direction.length; t++) direction[t]! /= length;
      subtract(residual, direction, dot(residual, direction));
      basis.push(direction);
    }
    copies.push({
      uid: later.uid,
      copyOf: victims.map(({ index }) => ordered[index]!.uid),
      cosine: largest,
      residual: { indices: later.indices, values: Float32Array.from(residual) },
    });
  }
  return copies.sort((a, b) => a.uid - b.uid);
}

/** ⟨a, b⟩ over two sparse vectors with ascending indices, in float64. */
export function sparseDot(a: SparseUpdate, b: SparseUpdate): number {
  let sum = 0;
  let i = 0;
  let j = 0;
  while (i < a.indices.length && j < b.indices.length) {
    const x = a.indices[i]!;
    const y = b.indices[j]!;
    if (x === y) sum += a.values[i++]! * b.values[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return sum;
}

/** `update`'s values at `indices` (0 where it has none), in float64. */
function alignTo(indices: Uint32Array, update: SparseUpdate): Float64Array {
  const out = new Float64Array(indices.length);
  let j = 0;
  for (let i = 0; i < indices.length; i++) {
    while (j < update.indices.length && update.indices[j]! < indices[i]!) j++;
    if (j < update.indices.length && update.indices[j] === indices[i]) out[i] = update.values[j]!;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** a −= k·b */
function subtract(a: Float64Array, b: Float64Array, k: number): void {
  for (let i = 0; i < a.length; i++) a[i]! -= k * b[i]!;
}
