import { AggregationError } from '../errors/protocol.js';

/** Parameters of {@link normBoundScale}. */
export type NormBoundScaleParameters = {
  /** The decoded values of one update (Δ̂). */
  values: Float32Array;
  /**
   * ρ: the largest L2 norm an update may count with. Positive; `Infinity` clips nothing.
   * @default Infinity
   */
  normBound?: number | undefined;
};

/**
 * The factor an update is scaled by so that it counts with an L2 norm of at most ρ: the
 * protocol's norm bound, the same for scoring and for the aggregate.
 *
 * `norm = sqrt(Σ values[i]²)`, summed in float64 in index order (so every machine gets the
 * same number); the factor is 1 when `norm ≤ ρ`, else `fround(ρ / norm)`. A member's value
 * then counts as `fround(factor · value)`. An update can be made smaller than ρ, never
 * larger: magnitude beyond ρ buys nothing, and below ρ it is the miner's own loss.
 *
 * @returns A float32 value in (0, 1].
 * @throws AggregationError `invalid-parameter` when ρ is not positive.
 * @example
 * const factor = normBoundScale({ values: update.values, normBound: aggregate.normBound });
 */
export function normBoundScale(parameters: NormBoundScaleParameters): number {
  const { values } = parameters;
  const bound = parameters.normBound ?? Number.POSITIVE_INFINITY;
  if (!(bound > 0)) {
    throw new AggregationError('invalid-parameter', 'The norm bound must be positive.', {
      details: String(bound),
    });
  }
  if (bound === Number.POSITIVE_INFINITY) return 1;
  const norm = l2Norm(values);
  if (!(norm > bound)) return 1;
  // fround(ρ / norm) may round up to a value whose product with the norm exceeds ρ by half
  // an ulp; the bound is a budget, not an exact target, and every party rounds the same way.
  return Math.fround(bound / norm);
}

/**
 * L2 norm of a vector, the sum of squares accumulated in float64 in index order.
 *
 * @example
 * l2Norm(Float32Array.of(3, 4)); // 5
 */
export function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}

/**
 * `values` scaled by `factor` with float32 rounding per entry, as the aggregate counts them.
 * Returns `values` itself when the factor is 1.
 *
 * @example
 * const clipped = scaleValues({ values, factor: normBoundScale({ values, normBound }) });
 */
export function scaleValues(parameters: { values: Float32Array; factor: number }): Float32Array {
  const { values, factor } = parameters;
  if (factor === 1) return values;
  const out = new Float32Array(values.length);
  const f = Math.fround(factor);
  for (let i = 0; i < values.length; i++) out[i] = Math.fround(f * values[i]!);
  return out;
}
