import {
  DeleteObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { NonRetryableStorageError } from '../errors/storage.js';
import { parsePlainHttpUrl } from './parsePlainHttpUrl.js';
import { assertCommittedUri, assertUriBase } from './assertCommittedUri.js';
import { assertReadLimits } from './assertReadLimits.js';
import { assertStoreKey } from './assertStoreKey.js';
import { createS3Client } from './createS3Client.js';
import type { S3Settings } from './createS3Client.js';
import { getS3Object } from './getS3Object.js';
import { mapS3Error } from './mapS3Error.js';
import { parseS3Uri, s3BucketPattern } from './s3Uri.js';
import { startDeadline } from './startDeadline.js';
import type { UpdateStore } from './types.js';

/** Parameters of {@link createS3Store}. */
export type CreateS3StoreParameters = S3Settings & {
  /** Bucket name (3 to 63 of `a-z 0-9 . -`). */
  bucket: string;
  /** Folder inside the bucket every key goes under, e.g. `miner-7`. @default none */
  prefix?: string | undefined;
  /**
   * Base URL of the bucket's public read access (an R2 public domain, a CDN, a public-read
   * AWS bucket), so URIs become `${publicUrl}/${prefix}/${key}` that anyone reads over plain
   * HTTP(S). Without it, URIs are `s3://bucket/prefix/key`, read only by holders of
   * credentials for the bucket. @default none
   */
  publicUrl?: string | undefined;
  /** Time limit of `put`, `has` and `delete`, in milliseconds. @default 60000 */
  timeoutMs?: number | undefined;
  /** A client to use instead of building one from the settings (shared with a reader). */
  client?: S3Client | undefined;
};

/** An {@link UpdateStore} on an S3 bucket, with the client it uses and a start-up check. */
export type S3Store = UpdateStore & {
  readonly client: S3Client;
  readonly bucket: string;
  /**
   * Checks that the bucket exists and the credentials may use it (`HeadBucket`).
   * @throws StorageError `not-found` (no such bucket), `rejected` (credentials), `connection`.
   */
  checkBucket(parameters?: { signal?: AbortSignal | undefined }): Promise<void>;
  /** Closes the client's connections. */
  close(): void;
};

/**
 * Creates an {@link UpdateStore} on an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO)
 * through `@aws-sdk/client-s3`.
 *
 * The URIs it hands out are short enough for every chain ({@link assertCommittedUri}), so
 * never presigned: `https://<publicUrl>/<prefix>/<key>` when `publicUrl` is set, otherwise
 * `s3://<bucket>/<prefix>/<key>`. Its own `get` reads both forms with its credentials.
 *
 * @example
 * const store = createS3Store({ endpoint: 'https://acct.r2.cloudflarestorage.com', region: 'auto', bucket: 'updates', publicUrl: 'https://pub-1234.r2.dev', credentials });
 * await store.checkBucket();
 * const { uri } = await store.put({ key: 'w000042/uid-7.tsu', bytes }); // https://pub-1234.r2.dev/w000042/uid-7.tsu
 */
export function createS3Store(parameters: CreateS3StoreParameters): S3Store {
  const { bucket, prefix } = parameters;
  if (typeof bucket !== 'string' || !s3BucketPattern.test(bucket)) {
    throw invalid('bucket must be 3 to 63 characters of a-z, 0-9, "." and "-".', String(bucket));
  }
  if (prefix !== undefined) assertStoreKey({ key: prefix });
  const timeoutMs = parameters.timeoutMs ?? 60_000;
  assertReadLimits({ maxBytes: 0, timeoutMs });
  const publicUrl =
    parameters.publicUrl === undefined
      ? undefined
      : parsePlainHttpUrl({ value: parameters.publicUrl, what: 'createS3Store: publicUrl' });
  const client = parameters.client ?? createS3Client(parameters);

  const keyHead = prefix === undefined ? '' : `${prefix}/`;
  const uriHead = `${publicUrl ?? `s3://${bucket}`}/${keyHead}`;
  assertUriBase({
    base: uriHead,
    store: 's3',
    what: publicUrl === undefined ? 'bucket and prefix' : 'public URL and prefix',
  });

  const objectKey = (key: string) => {
    assertStoreKey({ key });
    return `${keyHead}${key}`;
  };
  const uriOf = ({ key }: { key: string }) => {
    assertStoreKey({ key });
    return assertCommittedUri({ uri: `${uriHead}${key}`, store: 's3' });
  };

  /** The store key of one of this store's URIs, or `bad-uri`. */
  const keyOfUri = (uri: string): string => {
    if (typeof uri === 'string' && uri.startsWith(uriHead)) {
      const key = uri.slice(uriHead.length);
      if (/^s3:/i.test(uri)) parseS3Uri(uri);
      assertStoreKey({ key });
      return key;
    }
    throw new NonRetryableStorageError('bad-uri', 'Not a URI of this bucket.', {
      target: String(uri),
      details: `expected one under ${uriHead}`,
    });
  };

  /** Sends one command under this store's time limit, mapping failures. */
  const run = async <T>(
    key: string,
    signal: AbortSignal | undefined,
    send: (abortSignal: AbortSignal) => Promise<T>,
  ) => {
    const deadline = startDeadline({ timeoutMs, signal });
    try {
      deadline.check(key);
      return await send(deadline.signal);
    } catch (error) {
      throw mapS3Error(error, key, deadline);
    } finally {
      deadline.clear();
    }
  };

  return {
    kind: 's3',
    client,
    bucket,
    uriOf,

    async put({ key, bytes, signal }) {
      const uri = uriOf({ key });
      if (!(bytes instanceof Uint8Array)) {
        throw new NonRetryableStorageError('invalid-parameter', 'put needs the bytes as a Uint8Array.', {
          target: key,
        });
      }
      await run(key, signal, (abortSignal) =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: objectKey(key),
            Body: bytes,
            ContentLength: bytes.byteLength,
            ContentType: 'application/octet-stream',
          }),
          { abortSignal },
        ),
      );
      return { uri };
    },

    get(read) {
      try {
        assertReadLimits(read);
        const key = objectKey(keyOfUri(read.uri));
        return getS3Object({ ...read, client, bucket, key, target: read.uri });
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async has({ key, signal }) {
      try {
        await run(key, signal, (abortSignal) =>
          client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }), { abortSignal }),
        );
        return true;
      } catch (error) {
        if (error instanceof NonRetryableStorageError && error.reason === 'not-found') return false;
        throw error;
      }
    },

    async delete({ key, signal }) {
      try {
        await run(key, signal, (abortSignal) =>
          client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }), { abortSignal }),
        );
      } catch (error) {
        if (error instanceof NonRetryableStorageError && error.reason === 'not-found') return;
        throw error;
      }
    },

    async checkBucket({ signal } = {}) {
      try {
        await run(`s3://${bucket}`, signal, (abortSignal) =>
          client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
        );
      } catch (error) {
        if (error instanceof NonRetryableStorageError && error.reason === 'not-found') {
          throw new NonRetryableStorageError('not-found', 'The S3 bucket does not exist.', {
            target: `s3://${bucket}`,
            cause: error,
            hint: 'Create the bucket first, or check --store and --s3-endpoint.',
          });
        }
        throw error;
      }
    },

    close() {
      client.destroy();
    },
  };
}

function invalid(message: string, details?: string, cause?: unknown): NonRetryableStorageError {
  return new NonRetryableStorageError('invalid-parameter', `createS3Store: ${message}`, { details, cause });
}
