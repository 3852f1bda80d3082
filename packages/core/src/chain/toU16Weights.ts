import { NonRetryableChainError } from '../errors/chain.js';

/** Parameters of {@link toU16Weights}. */
export type ToU16WeightsParameters = {
  uids: number[];
  /** Non-negative, finite; any scale (they are rescaled so the largest becomes 65535). */
  weights: number[];
};

/** Weights as `set_weights` takes them. */
export type U16Weights = {
  /** Ascending, distinct. */
  uids: number[];
  /** In [1, 65535]; the largest weight is 65535. */
  values: number[];
};

const U16_MAX = 0xffff;

/**
 * Turns Tessera's weights into the u16 vectors `set_weights` takes: each weight divided by
 * the largest and scaled to 65535, rounded to the nearest integer. Subtensor rescales a
 * validator's row this same way ("max-upscale") before storing it, so sending the
 * max-upscaled form loses nothing. Weights that round to 0 are dropped; uids come out ascending.
 *
 * @returns The uids and u16 values.
 * @throws NonRetryableChainError `invalid-parameter` on mismatched lengths, a bad uid, a duplicate
 *   uid, a negative or non-finite weight, or no positive weight at all.
 * @example
 * toU16Weights({ uids: [3, 1], weights: [0.25, 0.75] }); // { uids: [1, 3], values: [65535, 21845] }
 */
export function toU16Weights(parameters: ToU16WeightsParameters): U16Weights {
  const { uids, weights } = parameters;
  if (!Array.isArray(uids) || !Array.isArray(weights) || uids.length !== weights.length) {
    throw invalid(
      'uids and weights must be lists of the same length.',
      `${uids?.length} uids, ${weights?.length} weights`,
    );
  }
  const seen = new Set<number>();
  let max = 0;
  for (let i = 0; i < uids.length; i++) {
    const uid = uids[i] as number;
    const weight = weights[i] as number;
    if (!Number.isInteger(uid) || uid < 0 || uid > U16_MAX)
      throw invalid('A uid is out of range.', String(uid));
    if (seen.has(uid)) throw invalid('A uid appears twice.', String(uid));
    seen.add(uid);
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw invalid('Weights must be finite and non-negative.', `uid ${uid}: ${weight}`);
    }
    if (weight > max) max = weight;
  }
  if (max === 0) throw invalid('No positive weight to set.', `${uids.length} weights, all zero`);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < uids.length; i++) {
    const value = Math.round(((weights[i] as number) / max) * U16_MAX);
    if (value > 0) pairs.push([uids[i] as number, value]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { uids: pairs.map(([uid]) => uid), values: pairs.map(([, value]) => value) };
}

function invalid(message: string, details: string): NonRetryableChainError {
  return new NonRetryableChainError('invalid-parameter', message, { details });
}
