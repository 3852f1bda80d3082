import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { NonRetryableStorageError, RetryableStorageError } from '../errors/storage.js';
import { assertReadLimits } from './assertReadLimits.js';
import { mapS3Error } from './mapS3Error.js';
import { startDeadline } from './startDeadline.js';
import type { GetUpdateParameters } from './types.js';

/** Parameters of {@link getS3Object}. */
export type GetS3ObjectParameters = Omit<GetUpdateParameters, 'uri'> & {
  client: S3Client;
  bucket: string;
  key: string;
  /** What errors name: the URI read. */
  target: string;
};

/**
 * Downloads one object with `GetObject`, under the same byte cap and time limit as every
 * other read: a declared length above the cap fails before the body is read, and the body
 * is counted while it streams, so an object that lies about its size is still cut off.
 *
 * @returns The object's bytes.
 * @throws StorageError: `not-found`, `too-large`, `rejected` (403, bad credentials),
 * `server-error`, `timeout`, `connection`, `aborted`.
 * @example
 * const bytes = await getS3Object({ client, bucket, key, target: uri, maxBytes: 8 << 20, timeoutMs: 10_000 });
 */
export async function getS3Object(parameters: GetS3ObjectParameters): Promise<Uint8Array> {
  const { client, bucket, key, target, maxBytes, timeoutMs } = parameters;
  assertReadLimits({ maxBytes, timeoutMs });
  const deadline = startDeadline({ timeoutMs, signal: parameters.signal });
  try {
    deadline.check(target);
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
      abortSignal: deadline.signal,
    });
    const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (body === undefined)
      throw new NonRetryableStorageError('bad-response', 'GetObject returned no body.', { target });
    const declared = response.ContentLength;
    if (declared !== undefined && declared > maxBytes) {
      body.destroy?.();
      throw tooLarge(target, `Content-Length ${declared} > ${maxBytes}`);
    }
    const onAbort = () => body.destroy?.();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of body) {
        total += chunk.byteLength;
        if (total > maxBytes) {
          body.destroy?.();
          throw tooLarge(target, `more than ${maxBytes} bytes received`);
        }
        chunks.push(chunk);
      }
    } finally {
      deadline.signal.removeEventListener('abort', onAbort);
    }
    deadline.check(target);
    if (declared !== undefined && total !== declared) {
      throw new RetryableStorageError('connection', 'Connection closed before the body was complete.', {
        target,
        details: `${total} of ${declared} bytes`,
      });
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  } catch (error) {
    throw mapS3Error(error, target, deadline);
  } finally {
    deadline.clear();
  }
}

function tooLarge(target: string, details: string): NonRetryableStorageError {
  return new NonRetryableStorageError('too-large', 'Update is larger than the byte cap.', {
    target,
    details,
  });
}
