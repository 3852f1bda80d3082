import { NonRetryableStorageError } from '../errors/storage.js';
import { createS3Reader } from './createS3Reader.js';
import type { CreateS3ReaderParameters } from './createS3Reader.js';
import { httpGet } from './httpGet.js';
import type { HttpGetOptions } from './httpGet.js';
import { readFileUri } from './readFileUri.js';
import type { GetUpdateParameters } from './types.js';

/** Reads one URI scheme with a byte cap and a time limit. */
export type UpdateReader = (parameters: GetUpdateParameters) => Promise<Uint8Array>;

/** Parameters of {@link createStoreRouter}. */
export type CreateStoreRouterParameters = {
  /**
   * `file:` URIs: `false` refuses them (a validator reading strangers' URIs should), `roots`
   * limits them to some folders. @default {} (any regular file; right for one machine)
   */
  file?: false | { roots?: readonly string[] | undefined } | undefined;
  /** `http:` and `https:` URIs: redirects and private-address blocking. @default {} */
  http?: HttpGetOptions | undefined;
  /**
   * `s3:` URIs (`s3://bucket/key`), fetched with this client from these buckets only; without
   * it `s3:` is an unsupported scheme. @default none
   */
  s3?: CreateS3ReaderParameters | undefined;
  /** Readers for more schemes, keyed with the colon (`'s3:'`); they override the built-in ones. */
  readers?: Record<string, UpdateReader> | undefined;
};

/** Reads any URI whose scheme it knows; see {@link createStoreRouter}. */
export type StoreRouter = {
  /** Schemes it reads, with the colon: `['file:', 'http:', 'https:']`. */
  readonly schemes: readonly string[];
  /** Reads `uri` with the reader for its scheme. */
  get(parameters: GetUpdateParameters): Promise<Uint8Array>;
};

/**
 * Creates the reader a validator uses for every miner's URI, dispatching by scheme.
 *
 * `file:` goes to {@link readFileUri}, `http:` and `https:` to {@link httpGet}, `s3:` (when
 * `s3` is given) to {@link createS3Reader}; anything else fails with reason
 * `unsupported-scheme` (not retryable). Every reader keeps the byte cap and the time limit.
 *
 * @example
 * const router = createStoreRouter({ file: false, http: { blockPrivateAddresses: true } });
 * const bytes = await router.get({ uri: commitment.uri, maxBytes: 64 << 20, timeoutMs: 10_000 });
 */
export function createStoreRouter(parameters: CreateStoreRouterParameters = {}): StoreRouter {
  const readers = new Map<string, UpdateReader>();
  const file = parameters.file ?? {};
  if (file !== false) readers.set('file:', (read) => readFileUri({ ...read, roots: file.roots }));
  const http = parameters.http ?? {};
  readers.set('http:', (read) => httpGet({ ...http, ...read }));
  readers.set('https:', (read) => httpGet({ ...http, ...read }));
  if (parameters.s3 !== undefined) readers.set('s3:', createS3Reader(parameters.s3));
  for (const [scheme, reader] of Object.entries(parameters.readers ?? {})) {
    if (!/^[a-z][a-z0-9+.-]*:$/.test(scheme) || typeof reader !== 'function') {
      throw new NonRetryableStorageError(
        'invalid-parameter',
        'Reader schemes look like "s3:" and map to functions.',
        {
          details: `got ${JSON.stringify(scheme)}`,
        },
      );
    }
    readers.set(scheme, reader);
  }
  const schemes = Object.freeze([...readers.keys()]);

  return {
    schemes,
    get(read) {
      const { uri } = read;
      if (typeof uri !== 'string') {
        return Promise.reject(
          new NonRetryableStorageError('bad-uri', 'URI must be a string.', { details: `got ${typeof uri}` }),
        );
      }
      const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
      const reader = scheme === undefined ? undefined : readers.get(`${scheme}:`);
      if (reader === undefined) {
        return Promise.reject(
          new NonRetryableStorageError('unsupported-scheme', 'No reader for this URI scheme.', {
            target: uri,
            details: scheme === undefined ? 'no scheme' : `scheme ${scheme}:`,
            hint: `Readable schemes: ${schemes.join(', ')}.`,
          }),
        );
      }
      return reader(read);
    },
  };
}
