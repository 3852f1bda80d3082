import { NonRetryableStorageError } from '../errors/storage.js';

/** Bucket names S3, R2 and MinIO all accept: 3 to 63 of `a-z 0-9 . -`, letter or digit at both ends. */
export const s3BucketPattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const segmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** An object of an S3-compatible bucket, as an `s3://bucket/key` URI names it. */
export type S3Object = { bucket: string; key: string };

/**
 * Parses `s3://bucket/key`: the bucket a valid name, the key segments of `[A-Za-z0-9._-]`
 * each starting with a letter or digit (the rule of every store key), no query or fragment.
 *
 * @throws NonRetryableStorageError `bad-uri`.
 * @example
 * parseS3Uri('s3://tessera-updates/miner-7/w000042/uid-7.tsu'); // { bucket: 'tessera-updates', key: 'miner-7/w000042/uid-7.tsu' }
 */
export function parseS3Uri(uri: string): S3Object {
  const fail = (details: string): never => {
    throw new NonRetryableStorageError('bad-uri', 'Not an s3://bucket/key URI.', {
      target: typeof uri === 'string' ? uri.slice(0, 300) : undefined,
      details,
    });
  };
  if (typeof uri !== 'string') return fail(`got ${typeof uri}`);
  if (uri.length > 1024) return fail(`${uri.length} characters`);
  const match = /^s3:\/\/([^/?#]*)\/([^?#]*)$/i.exec(uri);
  if (match === null) return fail('expected s3://bucket/key with no query or fragment');
  const [, bucket = '', key = ''] = match;
  if (!s3BucketPattern.test(bucket)) return fail(`bad bucket name ${JSON.stringify(bucket)}`);
  const segments = key.split('/');
  if (segments.length > 16 || !segments.every((segment) => segmentPattern.test(segment))) {
    return fail(`bad key ${JSON.stringify(key)}`);
  }
  return { bucket, key };
}
