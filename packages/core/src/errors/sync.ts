import { NonRetryableReasonError, RetryableReasonError } from '@tessera/errors';
import type { BaseErrorParameters } from '@tessera/errors';

/**
 * Why model sync failed for good; asking again cannot help.
 *
 * - `out-of-sync`: the model recomputed from a published aggregate does not hash to the hash
 *   published with it, and no newer checkpoint could take its place. Call `reset()` and
 *   advance again once a newer checkpoint is out.
 * - `aggregate-update-missing`: an update of the aggregation set is gone: its uid has no
 *   commitment for the window, or its store answers "not found".
 * - `aggregate-update-invalid`: an update of the set does not match its committed digest or
 *   does not decode for its window and shard.
 * - `invalid-parameter`: a caller passed a bad window, chain timing or option.
 */
export type NonRetryableSyncReason =
  'out-of-sync' | 'aggregate-update-missing' | 'aggregate-update-invalid' | 'invalid-parameter';

/**
 * Why model sync failed for now; a later attempt may succeed.
 *
 * - `aggregate-update-unavailable`: an update of the aggregation set could not be downloaded
 *   (timeout, refused connection, 5xx) after the retries.
 */
export type RetryableSyncReason = 'aggregate-update-unavailable';

/** Every reason code a {@link SyncError} carries. */
export type SyncReason = NonRetryableSyncReason | RetryableSyncReason;

/** Parameters shared by both sync error classes. */
export type SyncErrorParameters = BaseErrorParameters & {
  /** The window whose aggregate was being applied, when there is one. */
  window?: number | undefined;
};

/**
 * Model sync failed for good: the published hash disagrees with the replay, or an update of
 * the set is gone or corrupt.
 *
 * @example
 * throw new NonRetryableSyncError('out-of-sync', 'Replayed model does not match the published hash.', {
 *   window: 41,
 *   details: `${local} != ${published}`,
 * });
 */
export class NonRetryableSyncError extends NonRetryableReasonError<NonRetryableSyncReason> {
  override name = 'NonRetryableSyncError';
  /** The window whose aggregate was being applied. */
  readonly window: number | undefined;

  constructor(reason: NonRetryableSyncReason, shortMessage: string, parameters: SyncErrorParameters = {}) {
    super(reason, shortMessage, withWindow(parameters));
    this.window = parameters.window;
  }
}

/**
 * Model sync failed for now: an update of the set could not be downloaded.
 *
 * @example
 * throw new RetryableSyncError('aggregate-update-unavailable', 'Could not download uid 3’s update.', { window: 41 });
 */
export class RetryableSyncError extends RetryableReasonError<RetryableSyncReason> {
  override name = 'RetryableSyncError';
  /** The window whose aggregate was being applied. */
  readonly window: number | undefined;

  constructor(reason: RetryableSyncReason, shortMessage: string, parameters: SyncErrorParameters = {}) {
    super(reason, shortMessage, withWindow(parameters));
    this.window = parameters.window;
  }
}

/** Either sync error; switch on `reason`, or on `retryable` for the retry policy. */
export type SyncError = NonRetryableSyncError | RetryableSyncError;

/**
 * True when `error` is a {@link SyncError}.
 *
 * @example
 * if (isSyncError(error) && error.reason === 'out-of-sync') sync.reset();
 */
export function isSyncError(error: unknown): error is SyncError {
  return error instanceof NonRetryableSyncError || error instanceof RetryableSyncError;
}

function withWindow(parameters: SyncErrorParameters): BaseErrorParameters {
  const { window, ...rest } = parameters;
  if (window === undefined) return rest;
  return { ...rest, metaMessages: [...(rest.metaMessages ?? []), `Window: ${window}`] };
}
