import { NonRetryableReasonError, RetryableReasonError } from '@tessera/errors';
import type { BaseErrorParameters } from '@tessera/errors';

/**
 * Why a store operation failed for good; retrying the same request cannot help.
 *
 * - `not-found`: no object at that key or URI (HTTP 404/410, ENOENT).
 * - `too-large`: the object is bigger than the byte cap (declared or counted while reading).
 * - `bad-uri`: the URI does not parse, carries credentials, points outside the allowed roots,
 *   or is too long to commit on chain.
 * - `bad-key`: the key is not a safe relative name (empty, `..`, odd characters, too long).
 * - `unsupported-scheme`: no reader for the URI's scheme.
 * - `invalid-parameter`: a caller passed a bad cap, timeout or payload.
 * - `rejected`: the store refused the request (HTTP 4xx other than 404/408/429, permission denied).
 * - `redirect`: a redirect to another host, a downgrade to plain HTTP, or too many redirects.
 * - `bad-response`: the answer made no sense (a redirect with no Location, a non-file object).
 * - `tls`: the TLS handshake failed (bad or expired certificate).
 * - `blocked-address`: the host resolves to a private or loopback address and those are blocked.
 */
export type NonRetryableStorageReason =
  | 'not-found'
  | 'too-large'
  | 'bad-uri'
  | 'bad-key'
  | 'unsupported-scheme'
  | 'invalid-parameter'
  | 'rejected'
  | 'redirect'
  | 'bad-response'
  | 'tls'
  | 'blocked-address';

/**
 * Why a store operation failed for now; a later attempt may succeed.
 *
 * - `timeout`: the operation ran past its time limit.
 * - `connection`: connection refused, reset or cut short; the host name did not resolve.
 * - `server-error`: the store answered 5xx, 408 or 429.
 * - `io`: a local filesystem error other than "not found" or "permission denied".
 * - `aborted`: the caller's signal aborted the operation (usually a shutdown).
 */
export type RetryableStorageReason = 'timeout' | 'connection' | 'server-error' | 'io' | 'aborted';

/** Every reason code a {@link StorageError} carries. */
export type StorageReason = NonRetryableStorageReason | RetryableStorageReason;

/** Parameters shared by both storage error classes. */
export type StorageErrorParameters = BaseErrorParameters & {
  /** The URI or key the operation was about, when there is one. */
  target?: string | undefined;
};

/**
 * A store operation that failed for good: the object is missing, too big, or the URI is bad.
 *
 * @example
 * throw new NonRetryableStorageError('too-large', 'Update is larger than the byte cap.', {
 *   target: uri,
 *   details: `${size} bytes > ${maxBytes}`,
 * });
 */
export class NonRetryableStorageError extends NonRetryableReasonError<NonRetryableStorageReason> {
  override name = 'NonRetryableStorageError';
  /** The URI or key the operation was about. */
  readonly target: string | undefined;

  constructor(
    reason: NonRetryableStorageReason,
    shortMessage: string,
    parameters: StorageErrorParameters = {},
  ) {
    super(reason, shortMessage, withTarget(parameters));
    this.target = parameters.target;
  }
}

/**
 * A store operation that failed for now: a timeout, a refused connection, a 5xx answer.
 *
 * @example
 * throw new RetryableStorageError('timeout', 'Download timed out.', { target: uri, details: '5000 ms' });
 */
export class RetryableStorageError extends RetryableReasonError<RetryableStorageReason> {
  override name = 'RetryableStorageError';
  /** The URI or key the operation was about. */
  readonly target: string | undefined;

  constructor(reason: RetryableStorageReason, shortMessage: string, parameters: StorageErrorParameters = {}) {
    super(reason, shortMessage, withTarget(parameters));
    this.target = parameters.target;
  }
}

/** Either storage error; switch on `reason`, or on `retryable` for the retry policy. */
export type StorageError = NonRetryableStorageError | RetryableStorageError;

/**
 * True when `error` is a {@link StorageError}.
 *
 * @example
 * if (isStorageError(error) && error.reason === 'too-large') reject('update too large');
 */
export function isStorageError(error: unknown): error is StorageError {
  return error instanceof NonRetryableStorageError || error instanceof RetryableStorageError;
}

function withTarget(parameters: StorageErrorParameters): BaseErrorParameters {
  const { target, ...rest } = parameters;
  if (target === undefined) return rest;
  return { ...rest, metaMessages: [...(rest.metaMessages ?? []), `Target: ${shorten(target)}`] };
}

/** Keeps messages readable when a URI is long (presigned URLs run to hundreds of characters). */
function shorten(target: string): string {
  return target.length <= 200 ? target : `${target.slice(0, 197)}...`;
}
