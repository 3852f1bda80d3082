import { NonRetryableReasonError } from '@tessera/core';
import type { BaseErrorParameters } from '@tessera/core';

/**
 * Why the validator refused to go on. Stable codes for logs and exit messages.
 *
 * - `invalid-parameter`: a caller passed a bad window, score, seed, model or option.
 * - `not-registered`: the signing account holds no validator uid on the subnet.
 * - `bad-state`: the state folder or Redis holds something this code cannot use.
 * - `bad-checkpoint`: θ_w could not be loaded for an evaluation (wrong hash, bad file).
 * - `bad-job`: an evaluation job's data is malformed.
 */
export type ValidatorErrorReason =
  'invalid-parameter' | 'not-registered' | 'bad-state' | 'bad-checkpoint' | 'bad-job';

/**
 * A failure of the validator itself, never a verdict on a miner's update: verdicts are
 * results (`status: 'rejected'`), not errors. No retry can cure it.
 *
 * @example
 * throw new ValidatorError('not-registered', 'This hotkey holds no uid on the subnet.', {
 *   details: chain.address,
 * });
 */
export class ValidatorError extends NonRetryableReasonError<ValidatorErrorReason> {
  override name = 'ValidatorError';

  constructor(reason: ValidatorErrorReason, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(reason, shortMessage, {
      ...parameters,
      metaMessages: [...(parameters.metaMessages ?? []), `Reason: ${reason}`],
    });
  }
}
