import { AggregationError } from '../errors/protocol.js';
import { checkBase, checkSparseUpdate } from './checkSparseUpdate.js';
import type { SparseUpdate } from './checkSparseUpdate.js';
import { normBoundScale } from './normBoundScale.js';

/** One member of an aggregation set. */
export type AggregateMember = SparseUpdate & {
  /** The miner's uid; sets the order of the sum. */
  uid: number;
};

/** Parameters of {@link aggregateUpdates}. */
export type AggregateUpdatesParameters = {
  /** θ_w, the flat parameter vector. Not modified. */
  base: Float32Array;
  /** The aggregation set, in any order; uids distinct. */
  updates: readonly AggregateMember[];
  /** η_outer. */
  learningRate: number;
  /**
   * ρ, the aggregate's norm bound (`Aggregate.normBound`): each member counts with an L2
   * norm of at most ρ (`normBoundScale`). @default Infinity (no member is scaled)
   */
  normBound?: number | undefined;
};

/**
 * Applies a window's aggregate: `θ_{w+1} = θ_w − η · (Σ_j Δ̂_j) / n` over the `n` updates
 * of the set, with bits every machine reproduces. Per entry `i`:
 *
 * 1. each member's factor `c_j = normBoundScale(values_j, ρ)` (1 when its L2 norm is at
 *    most ρ, else `fround(ρ / norm)`);
 * 2. `s_i` starts at +0 and adds each update's `fround(c_j · value)` at `i`, ascending by
 *    uid, each add rounded to float32 (entries an update lacks add nothing);
 * 3. `θ'_i = fround(θ_i − fround(η₃₂ · fround(s_i / n)))`, with `η₃₂ = fround(η)`; an
 *    entry with `s_i = 0` keeps θ_i as it is (the formula gives the same bits).
 *
 * Plain float32 arithmetic in a fixed order, never a tfjs backend, so the result does not
 * depend on the input order, the machine or the backend. An empty set returns a copy of θ_w.
 *
 * @returns A new Float32Array, θ_{w+1}.
 * @throws AggregationError on a duplicate uid, an index out of range, unsorted indices,
 *   a NaN or infinite value, or a bad base or learning rate.
 * @example
 * const next = aggregateUpdates({
 *   base: theta,
 *   updates: set.map(({ uid, bytes }) => ({ uid, ...decodeUpdate({ bytes, expected }) })),
 *   learningRate: hyperparameters.outerLearningRate,
 * });
 */
export function aggregateUpdates(parameters: AggregateUpdatesParameters): Float32Array {
  const { base, updates, learningRate, normBound } = parameters;
  checkBase(base, learningRate);
  if (!Array.isArray(updates)) throw new AggregationError('invalid-parameter', 'updates must be an array.');
  const seen = new Set<number>();
  for (const update of updates) {
    if (!Number.isSafeInteger(update.uid) || update.uid < 0) {
      throw new AggregationError('invalid-parameter', 'A uid is not a non-negative integer.', {
        details: `${update.uid}`,
      });
    }
    if (seen.has(update.uid)) {
      throw new AggregationError('duplicate-uid', 'Two updates in the set have the same uid.', {
        details: `uid ${update.uid}`,
      });
    }
    seen.add(update.uid);
    checkSparseUpdate(update, base.length, `update of uid ${update.uid}`);
  }

  const next = Float32Array.from(base);
  const count = updates.length;
  if (count === 0) return next;
  const sum = new Float32Array(base.length);
  const ordered = [...updates].sort((a, b) => a.uid - b.uid);
  for (const { indices, values } of ordered) {
    const factor = normBoundScale({ values, normBound });
    // Float32Array stores round every add to float32.
    if (factor === 1) for (let t = 0; t < indices.length; t++) sum[indices[t]!]! += values[t]!;
    else for (let t = 0; t < indices.length; t++) sum[indices[t]!]! += Math.fround(factor * values[t]!);
  }
  const eta = Math.fround(learningRate);
  for (let i = 0; i < next.length; i++) {
    const s = sum[i]!;
    if (s !== 0) next[i] = next[i]! - Math.fround(eta * Math.fround(s / count));
  }
  return next;
}
