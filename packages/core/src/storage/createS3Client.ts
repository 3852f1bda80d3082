import { S3Client } from '@aws-sdk/client-s3';
import { NonRetryableStorageError } from '../errors/storage.js';
import { parsePlainHttpUrl } from './parsePlainHttpUrl.js';

/** How to reach an S3-compatible service; every field falls back to the AWS SDK's own lookup. */
export type S3Settings = {
  /**
   * Service URL without the bucket: `https://<account>.r2.cloudflarestorage.com`,
   * `http://127.0.0.1:9000`. @default AWS (or `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`)
   */
  endpoint?: string | undefined;
  /** Signing region: `auto` for R2, `us-east-1` for MinIO. @default `AWS_REGION`, else 'us-east-1' */
  region?: string | undefined;
  /** Static credentials; without them the SDK's chain (AWS_* variables, AWS profile files). */
  credentials?:
    { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  /** `endpoint/bucket/key` addressing (MinIO, R2, s3rver) instead of `bucket.endpoint/key`. @default true with an endpoint */
  forcePathStyle?: boolean | undefined;
  /** Attempts per request, the SDK's own retries with backoff included. @default 3 */
  maxAttempts?: number | undefined;
};

/**
 * Creates the `@aws-sdk/client-s3` client a store and a reader share, checking the settings.
 *
 * Checksums are sent and checked only where the operation requires them, so servers that
 * predate the SDK's default CRC32 headers (older MinIO, s3rver) work as well as AWS and R2.
 *
 * @throws NonRetryableStorageError `invalid-parameter` on a bad endpoint, region or credentials.
 * @example
 * const client = createS3Client({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', credentials });
 */
export function createS3Client(settings: S3Settings): S3Client {
  const endpoint =
    settings.endpoint === undefined
      ? undefined
      : parsePlainHttpUrl({ value: settings.endpoint, what: 'S3: endpoint' });
  const region = settings.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,32}$/.test(region)) throw invalid('region is not a region name.', region);
  const { credentials } = settings;
  if (credentials !== undefined) {
    for (const name of ['accessKeyId', 'secretAccessKey'] as const) {
      if (typeof credentials[name] !== 'string' || credentials[name].length === 0)
        throw invalid(`${name} is missing.`);
    }
  }
  const maxAttempts = settings.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10)
    throw invalid('maxAttempts must be an integer from 1 to 10.', String(maxAttempts));
  return new S3Client({
    region,
    maxAttempts,
    forcePathStyle: settings.forcePathStyle ?? endpoint !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(credentials === undefined
      ? {}
      : {
          credentials: {
            accessKeyId: credentials.accessKeyId,
            secretAccessKey: credentials.secretAccessKey,
            ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
          },
        }),
  });
}

function invalid(message: string, details?: string, cause?: unknown): NonRetryableStorageError {
  return new NonRetryableStorageError('invalid-parameter', `S3: ${message}`, { details, cause });
}
