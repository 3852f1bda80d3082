import type { S3Client } from '@aws-sdk/client-s3';
import { NonRetryableStorageError } from '../errors/storage.js';
import { getS3Object } from './getS3Object.js';
import { parseS3Uri, s3BucketPattern } from './s3Uri.js';
import type { GetUpdateParameters } from './types.js';

/** Parameters of {@link createS3Reader}. */
export type CreateS3ReaderParameters = {
  /** The reader's own client: its endpoint and credentials, never ones a URI names. */
  client: S3Client;
  /** Buckets it reads; an `s3://` URI of any other bucket fails with `bad-uri`. */
  buckets: readonly string[];
};

/**
 * Creates the reader of `s3://bucket/key` URIs: it fetches with the reader's own configured
 * client, so only parties holding credentials for that bucket can read them (a validator
 * with its workers, a group sharing one bucket). What strangers must read goes on chain as a
 * public `https://` URL instead (a store with `publicUrl`).
 *
 * @example
 * const router = createStoreRouter({ readers: { 's3:': createS3Reader({ client, buckets: ['tessera'] }) } });
 */
export function createS3Reader(
  parameters: CreateS3ReaderParameters,
): (read: GetUpdateParameters) => Promise<Uint8Array> {
  const { client } = parameters;
  for (const bucket of parameters.buckets) {
    if (!s3BucketPattern.test(bucket)) {
      throw new NonRetryableStorageError('invalid-parameter', 'Not an S3 bucket name.', {
        details: JSON.stringify(bucket),
      });
    }
  }
  const buckets = new Set(parameters.buckets);
  return async (read) => {
    const { bucket, key } = parseS3Uri(read.uri);
    if (!buckets.has(bucket)) {
      throw new NonRetryableStorageError('bad-uri', 'This reader has no access to that bucket.', {
        target: read.uri,
        details: `readable buckets: ${[...buckets].join(', ') || 'none'}`,
        hint: 'Add the bucket to --s3-read-buckets if this role holds credentials for it.',
      });
    }
    return getS3Object({ ...read, client, bucket, key, target: read.uri });
  };
}
