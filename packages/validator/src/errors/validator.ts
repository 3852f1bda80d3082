import { NonRetryableError } from '@tessera/core';
import type { BaseErrorParameters } from '@tessera/core';

/**
 * Why the validator refused to go on. Stable codes for logs and exit messages.
 *
 * - `invalid_parameter`: a caller passed a bad window, score, seed, model or option.
 * - `not_registered`: the signing account holds no validator uid on the subnet.
 * - `needs_sync`: the validator holds no θ for the window it must score and was given no
 *   way to build one (pass `loadTheta`, backed by core's model sync).
 * - `bad_state`: the state folder or Redis holds something this code cannot use.
 * - `bad_checkpoint`: θ_w could not be loaded for an evaluation (wrong hash, bad file).
 * - `bad_job`: an evaluation job's data is malformed.
 */
export type ValidatorErrorReason =
  'invalid_parameter' | 'not_registered' | 'needs_sync' | 'bad_state' | 'bad_checkpoint' | 'bad_job';

/**
 * A failure of the validator itself, never a verdict on a miner's update: verdicts are
 * results (`status: 'rejected'`), not errors. No retry can cure it.
 *
 * @example
 * throw new ValidatorError('not_registered', 'This hotkey holds no uid on the subnet.', {
 *   details: chain.address,
 * });
 */
export class ValidatorError extends NonRetryableError {
  override name = 'ValidatorError';
  /** Stable code for logs and metrics. */
  readonly reason: ValidatorErrorReason;

  constructor(reason: ValidatorErrorReason, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, {
      ...parameters,
      metaMessages: [...(parameters.metaMessages ?? []), `Reason: ${reason}`],
    });
    this.reason = reason;
  }
}
