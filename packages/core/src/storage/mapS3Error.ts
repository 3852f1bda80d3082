import { NonRetryableStorageError, RetryableStorageError, isStorageError } from '../errors/storage.js';
import type { Deadline } from './startDeadline.js';

type SdkError = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: unknown };
};

/**
 * Maps an error of `@aws-sdk/client-s3` (a service answer, a network failure, missing
 * credentials) to a {@link StorageError}; storage errors pass through.
 *
 * @example
 * try { await client.send(command, { abortSignal: deadline.signal }); } catch (error) { throw mapS3Error(error, key, deadline); }
 */
export function mapS3Error(error: unknown, target: string, deadline?: Deadline): unknown {
  if (isStorageError(error)) return error;
  if (deadline?.signal.aborted) return deadline.error(target, error);
  const e = (error ?? {}) as SdkError;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const details = [name, status === undefined ? undefined : `HTTP ${status}`].filter(Boolean).join(', ');
  const parameters = { target, details, cause: error };
  if (name === 'CredentialsProviderError') {
    return new NonRetryableStorageError('rejected', 'No S3 credentials found.', {
      ...parameters,
      hint: 'Set TESSERA_S3_ACCESS_KEY_ID and TESSERA_S3_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an AWS profile).',
    });
  }
  if (name === 'NoSuchKey' || name === 'NotFound' || status === 404) {
    return new NonRetryableStorageError(
      'not-found',
      name === 'NoSuchBucket' ? 'No such bucket.' : 'No object at that key.',
      parameters,
    );
  }
  if (
    status === 408 ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    name === 'SlowDown' ||
    name === 'RequestTimeout'
  ) {
    return new RetryableStorageError('server-error', 'The S3 store answered with an error.', parameters);
  }
  if (status !== undefined && status >= 400) {
    return new NonRetryableStorageError('rejected', 'The S3 store refused the request.', {
      ...parameters,
      ...(status === 403
        ? { hint: 'Check the access key id, the secret and that the key may use this bucket.' }
        : {}),
    });
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new RetryableStorageError('timeout', 'S3 request timed out.', parameters);
  }
  const code = typeof e.code === 'string' ? e.code : undefined;
  return new RetryableStorageError('connection', 'Could not reach the S3 store.', {
    target,
    details: code ?? details ?? (typeof e.message === 'string' ? e.message : undefined),
    cause: error,
  });
}
