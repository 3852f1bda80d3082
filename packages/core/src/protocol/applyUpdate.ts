import { checkBase, checkSparseUpdate } from './checkSparseUpdate.js';
import type { SparseUpdate } from './checkSparseUpdate.js';
import { normBoundScale } from './normBoundScale.js';

/** Parameters of {@link applyUpdate}. */
export type ApplyUpdateParameters = {
  /** θ_w, the flat parameter vector. Not modified. */
  base: Float32Array;
  /** One decoded update. */
  update: SparseUpdate;
  /** η: the outer learning rate, as the aggregate would use. */
  learningRate: number;
  /** ρ: the update counts with an L2 norm of at most ρ, as in the aggregate. @default Infinity */
  normBound?: number | undefined;
};

/**
 * Applies one update: `θ' = θ_w − η · Δ̂`, what a validator scores. Bit for bit the same
 * as {@link aggregateUpdates} with a set of one: per entry
 * `fround(θ_i − fround(fround(η) · fround(c · Δ̂_i)))`, `c = normBoundScale(Δ̂, ρ)`.
 *
 * @returns A new Float32Array, θ'.
 * @throws AggregationError on an index out of range, unsorted indices, a NaN or infinite
 *   value, or a bad base or learning rate.
 * @example
 * const after = applyUpdate({ base: theta, update: decodeUpdate({ bytes, expected }), learningRate: η });
 */
export function applyUpdate(parameters: ApplyUpdateParameters): Float32Array {
  const { base, update, learningRate, normBound } = parameters;
  checkBase(base, learningRate);
  checkSparseUpdate(update, base.length, 'update');
  const next = Float32Array.from(base);
  const { indices, values } = update;
  const eta = Math.fround(learningRate);
  const factor = normBoundScale({ values, normBound });
  for (let t = 0; t < indices.length; t++) {
    const value = factor === 1 ? values[t]! : Math.fround(factor * values[t]!);
    // As in the aggregate: an entry whose sum is zero is left alone.
    if (value !== 0) next[indices[t]!] = next[indices[t]!]! - Math.fround(eta * value);
  }
  return next;
}
