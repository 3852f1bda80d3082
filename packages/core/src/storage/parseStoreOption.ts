import { NonRetryableStorageError } from '../errors/storage.js';
import { assertStoreKey } from './assertStoreKey.js';
import { s3BucketPattern } from './s3Uri.js';

/** What `--store` names; see {@link parseStoreOption}. */
export type StoreSpec =
  | { kind: 'file' }
  | { kind: 'http'; host: string; port: number }
  | { kind: 's3'; bucket: string; prefix: string | undefined };

/**
 * Parses the `--store` option: empty (the folder), `http://host:port` (serve the folder
 * there) or `s3://bucket[/prefix]`.
 *
 * @throws NonRetryableStorageError `invalid-parameter` saying what is wrong and what is expected.
 * @example
 * parseStoreOption({ store: 's3://tessera/miner-7' }); // { kind: 's3', bucket: 'tessera', prefix: 'miner-7' }
 */
export function parseStoreOption(parameters: { store: string }): StoreSpec {
  const { store } = parameters;
  const fail = (message: string, hint: string): never => {
    throw new NonRetryableStorageError('invalid-parameter', `--store: ${message}`, {
      details: JSON.stringify(store),
      hint,
    });
  };
  if (store === '') return { kind: 'file' };
  if (/^s3:\/\//i.test(store)) {
    const [bucket = '', ...rest] = store.slice(5).replace(/\/+$/, '').split('/');
    if (!s3BucketPattern.test(bucket))
      return fail(
        'not a bucket name.',
        'Buckets are 3 to 63 of a-z, 0-9, "." and "-": s3://my-bucket/prefix.',
      );
    const prefix = rest.length === 0 ? undefined : rest.join('/');
    if (prefix !== undefined) {
      try {
        assertStoreKey({ key: prefix });
      } catch {
        return fail('bad prefix.', 'A prefix is up to 8 segments of [A-Za-z0-9._-] joined by "/".');
      }
    }
    return { kind: 's3', bucket, prefix };
  }
  let url: URL;
  try {
    url = new URL(store);
  } catch {
    return fail('does not parse.', 'Give nothing (the folder), http://host:port or s3://bucket/prefix.');
  }
  if (url.protocol === 'https:') {
    return fail(
      'the update server speaks plain HTTP.',
      'Listen on http://host:port and put a TLS proxy in front; give its https URL as --public-url.',
    );
  }
  if (url.protocol !== 'http:')
    return fail(
      `unknown kind ${url.protocol}`,
      'Give nothing (the folder), http://host:port or s3://bucket/prefix.',
    );
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== ''))
    return fail(
      'an http store is host:port only.',
      'Put any path in --public-url, e.g. http://0.0.0.0:8080 --public-url https://miner.example/tessera.',
    );
  if (url.port === '') return fail('needs a port.', 'e.g. http://0.0.0.0:8080.');
  return { kind: 'http', host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
}
