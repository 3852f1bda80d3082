import { NonRetryableReasonError } from '@tessera/core';

/**
 * Why the miner refused to start or stopped for good.
 *
 * - `not-registered`: the hotkey has no uid on the subnet.
 * - `config-mismatch`: the model config, the corpus and the hyperparameters do not fit
 *   together (preset name, vocabulary, page size).
 * - `invalid-parameter`: a bad option (margin, strategy, state folder).
 * - `already-running`: `run()` was called while it runs.
 */
export type MinerReason = 'not-registered' | 'config-mismatch' | 'invalid-parameter' | 'already-running';

/**
 * The miner cannot run as configured; no retry helps.
 *
 * @example
 * throw new MinerError('not-registered', 'This hotkey has no uid on the subnet.', {
 *   hint: 'Register first: tessera register --role miner',
 * });
 */
export class MinerError extends NonRetryableReasonError<MinerReason> {
  override name = 'MinerError';
}
