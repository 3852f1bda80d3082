import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { NonRetryableStorageError } from '../errors/storage.js';
import { createFileStore } from './createFileStore.js';
import { createS3Client } from './createS3Client.js';
import type { S3Settings } from './createS3Client.js';
import type { CreateS3ReaderParameters } from './createS3Reader.js';
import { createS3Store } from './createS3Store.js';
import { createUpdateServer } from './createUpdateServer.js';
import { parseStoreOption } from './parseStoreOption.js';
import type { StoreSpec } from './parseStoreOption.js';
import type { UpdateStore } from './types.js';

/** The store options of a role, as `storeFields` defines them. */
export type StoreOptions = {
  readonly store: string;
  readonly storeDir: string;
  readonly publicUrl: string;
  readonly s3Endpoint: string;
  readonly s3Region: string;
  readonly s3AccessKeyId: string;
  readonly s3SecretAccessKey: string;
  readonly s3SessionToken: string;
  readonly s3Addressing: 'auto' | 'path' | 'virtual';
  readonly s3ReadBuckets: readonly string[];
};

/** What {@link storeReadersOf} returns: the router parameters for the stores a role reads. */
export type StoreReaders = {
  /** The `s3:` reader, when the role has a bucket to read; pass it to `createStoreRouter`. */
  s3?: CreateS3ReaderParameters | undefined;
  /** The store's folder, for `file:` roots. */
  storeDir: string;
  /** Closes the S3 client. */
  close(): void;
};

/** An opened store; see {@link openStore}. */
export type OpenedStore = StoreReaders & {
  spec: StoreSpec;
  /** Where this role puts updates, checkpoints and model files. */
  store: UpdateStore;
  /** Stops the HTTP server and closes the S3 client. */
  close(): Promise<void>;
};

/**
 * The S3 settings the options give; `undefined` when none is set (then the AWS SDK's own
 * lookup, AWS_* variables and profiles, fills them in).
 *
 * @throws NonRetryableStorageError `invalid-parameter` when only one half of the key is given.
 */
export function s3SettingsOf(options: StoreOptions): S3Settings {
  const id = options.s3AccessKeyId;
  const secret = options.s3SecretAccessKey;
  if ((id === '') !== (secret === '')) {
    throw new NonRetryableStorageError(
      'invalid-parameter',
      'S3 credentials need both the access key id and the secret.',
      {
        details: id === '' ? 'the access key id is missing' : 'the secret access key is missing',
        hint: 'Set --s3-access-key-id and --s3-secret-access-key (TESSERA_S3_ACCESS_KEY_ID, TESSERA_S3_SECRET_ACCESS_KEY), or neither to use AWS_* variables or a profile.',
      },
    );
  }
  return {
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    ...(options.s3Region ? { region: options.s3Region } : {}),
    ...(id
      ? {
          credentials: {
            accessKeyId: id,
            secretAccessKey: secret,
            ...(options.s3SessionToken ? { sessionToken: options.s3SessionToken } : {}),
          },
        }
      : {}),
    ...(options.s3Addressing === 'auto' ? {} : { forcePathStyle: options.s3Addressing === 'path' }),
  };
}

/**
 * The readers a role needs for the stores it reads but does not write (a worker, a miner
 * reading validators' checkpoints): `s3:` for its own `--store` bucket and `--s3-read-buckets`.
 *
 * @example
 * const readers = storeReadersOf(options);
 * const router = createStoreRouter({ s3: readers.s3 });
 */
export function storeReadersOf(options: StoreOptions, client?: S3Client): StoreReaders {
  const spec = parseStoreOption(options);
  const buckets = [...new Set([...(spec.kind === 's3' ? [spec.bucket] : []), ...options.s3ReadBuckets])];
  if (buckets.length === 0) return { storeDir: options.storeDir, close: () => undefined };
  const s3 = client ?? createS3Client(s3SettingsOf(options));
  return {
    s3: { client: s3, buckets },
    storeDir: options.storeDir,
    close: () => s3.destroy(),
  };
}

/**
 * Opens the store `--store` names, checked at the edge: the folder, an HTTP server on it,
 * or an S3 bucket (`HeadBucket` first, so a missing bucket or bad credentials fail at start).
 * Every URI the store hands out fits on chain (256 bytes).
 *
 * @param parameters.maxBytes - largest file an HTTP store serves (the checkpoint size for validators).
 * @throws NonRetryableStorageError naming the option and what to change.
 * @example
 * const opened = await openStore({ options, maxBytes: 64 << 20, logger });
 * shutdown.add(() => opened.close());
 */
export async function openStore(parameters: {
  options: StoreOptions;
  maxBytes: number;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
}): Promise<OpenedStore> {
  const { options, maxBytes } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const spec = parseStoreOption(options);
  if (spec.kind === 'file') {
    if (options.publicUrl !== '') {
      throw new NonRetryableStorageError('invalid-parameter', '--public-url needs an http or s3 --store.', {
        details: options.publicUrl,
        hint: 'Serve the folder with --store http://0.0.0.0:8080, or drop --public-url.',
      });
    }
    const readers = storeReadersOf(options);
    logger.warn('store: a local folder; its file:// URIs are readable on this machine only', {
      dir: options.storeDir,
    });
    return {
      ...readers,
      spec,
      store: createFileStore({ root: options.storeDir }),
      close: async () => readers.close(),
    };
  }
  if (spec.kind === 'http') {
    const readers = storeReadersOf(options);
    const server = await createUpdateServer({
      store: createFileStore({ root: options.storeDir }),
      host: spec.host,
      port: spec.port,
      maxBytes,
      logger,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    });
    logger.info('store: serving files over HTTP', { url: server.url, publicUrl: server.publicUrl });
    return {
      ...readers,
      spec,
      store: server.store,
      close: async () => {
        readers.close();
        await server.close();
      },
    };
  }
  const store = createS3Store({
    ...s3SettingsOf(options),
    bucket: spec.bucket,
    prefix: spec.prefix,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  try {
    await store.checkBucket({ signal: parameters.signal });
  } catch (error) {
    store.close();
    throw error;
  }
  const readers = storeReadersOf(options, store.client);
  if (options.publicUrl === '') {
    logger.warn('store: s3:// URIs are readable only by holders of credentials for the bucket', {
      bucket: spec.bucket,
      hint: 'give the bucket’s public-read URL as --public-url for hosts without them',
    });
  } else logger.info('store: S3 bucket', { bucket: spec.bucket, publicUrl: options.publicUrl });
  return { ...readers, spec, store, close: async () => store.close() };
}
