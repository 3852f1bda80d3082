import { isStorageError } from '@tessera/core';

/**
 * Why a committed update is `missing`: the second half of the rejection reason
 * `missing:<reason>`. Stable kebab-case codes for logs, the rejection counter and the API.
 *
 * - `timeout`: the bytes did not all arrive within the download's time budget (a store that
 *   is slow, stalls, or trickles its answer).
 * - `too-large`: the store declared or sent more than `maxUpdateBytes`.
 * - `not-found`: the store has no object at the committed URI.
 * - `unreachable`: the store could not be reached or answered with an error (connection
 *   refused or cut short, 5xx, TLS failure, a malformed answer), on every attempt.
 * - `refused`: this validator does not read that URI (bad URI, unsupported scheme, private
 *   address, redirect to another host) or the store refused the request (4xx).
 * - `late`: the validator stopped waiting at its publish cutoff before the verdict came in.
 */
export type MissingReason = 'timeout' | 'too-large' | 'not-found' | 'unreachable' | 'refused' | 'late';

/**
 * Maps a failed update download to the {@link MissingReason} its verdict carries.
 *
 * @returns `timeout`, `too-large`, `not-found`, `refused` or `unreachable` (any other error,
 *   one that is not a storage error included).
 * @example
 * const reason = missingReason({ error }); // RetryableStorageError('timeout', …) → 'timeout'
 */
export function missingReason(parameters: { error: unknown }): MissingReason {
  const { error } = parameters;
  if (!isStorageError(error)) return 'unreachable';
  switch (error.reason) {
    case 'timeout':
      return 'timeout';
    case 'too-large':
      return 'too-large';
    case 'not-found':
      return 'not-found';
    case 'bad-uri':
    case 'bad-key':
    case 'unsupported-scheme':
    case 'blocked-address':
    case 'redirect':
    case 'rejected':
    case 'invalid-parameter':
      return 'refused';
    default:
      return 'unreachable';
  }
}
