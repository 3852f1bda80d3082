import { ValidatorError } from './errors/validator.js';

/** Smallest standard error the proof of assignment divides by, in nats. */
export const proofEpsilon = 1e-6;

const meanOf = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** Unbiased sample variance; 0 for a single value. */
function varianceOf(values: readonly number[]): number {
  const mean = meanOf(values);
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, values.length - 1);
}

/**
 * The proof of assignment's statistic: Welch's t of the per-page loss gains on the miner's
 * own pages over those on the window's unseen pages,
 * `(mean(own) − mean(unseen)) / √(var(own)/n_own + var(unseen)/n_unseen)`, the standard
 * error floored at {@link proofEpsilon} so identical gains give a finite value.
 *
 * A test per page rather than a ratio of means: once every page is trained on once (one
 * pass), what an update gains on its own pages is only a little more than on any page, and
 * only the spread of the gains page by page says whether that little is more than chance
 * (docs/protocol.md has the measurement).
 *
 * @throws ValidatorError `invalid-parameter` with fewer than 2 gains on a side.
 * @param own Gains (loss before minus after) of the miner's own pages, one per page; at least 2.
 * @param unseen Gains of the unseen pages, one per page; at least 2.
 * @example
 * if (!(assignmentT(pageGains.own, pageGains.unseen) > h.proofT)) reject('not-assigned');
 */
export function assignmentT(own: readonly number[], unseen: readonly number[]): number {
  if (own.length < 2 || unseen.length < 2) {
    throw new ValidatorError('invalid-parameter', 'The proof of assignment needs at least 2 pages a side.', {
      details: `${own.length} own, ${unseen.length} unseen`,
    });
  }
  const error = Math.sqrt(varianceOf(own) / own.length + varianceOf(unseen) / unseen.length);
  return (meanOf(own) - meanOf(unseen)) / Math.max(error, proofEpsilon);
}
