import { NonRetryableStorageError } from '../errors/storage.js';

/**
 * Longest URI a store may hand out, in UTF-8 bytes: what every chain takes.
 *
 * - EVM: the subnet contract's `maxUriLength`, 256 by default.
 * - Subtensor: a record is cut into the commitments pallet's `Raw` fields (3 of at most 128
 *   bytes, 384 in all). An update record with a 256-byte uri is 2 + 3 + 72 + 256 = 333 bytes;
 *   a checkpoint 297; an aggregate 2 + 3 + 42 + 2·G + 256, which fits while G ≤ 40.
 */
export const maxCommittedUriBytes = 256;

/**
 * Bytes of a URI a store keeps free for keys: a store whose URIs would leave fewer (a long
 * bucket prefix, public URL or root folder) is refused when it is created. The longest key a
 * role writes is the validator's model file, `models/w00000042-0123456789abcdef.ckpt` (38).
 */
export const reservedKeyBytes = 48;

/**
 * Checks that a URI a store hands out fits on chain ({@link maxCommittedUriBytes}).
 *
 * @throws NonRetryableStorageError `bad-uri` naming the length, the limit and what to shorten.
 * @example
 * assertCommittedUri({ uri: store.uriOf({ key }), store: 's3' });
 */
export function assertCommittedUri(parameters: { uri: string; store: string }): string {
  const { uri, store } = parameters;
  const bytes = Buffer.byteLength(uri, 'utf8');
  if (bytes > maxCommittedUriBytes) {
    throw new NonRetryableStorageError('bad-uri', 'The URI is too long to commit on chain.', {
      target: `${uri.slice(0, 64)}…`,
      details: `${bytes} bytes > ${maxCommittedUriBytes} (the ${store} store's URI)`,
      hint: 'Use a shorter key, bucket prefix, public URL or store folder.',
    });
  }
  return uri;
}

/**
 * Checks, when a store is created, that its URIs leave {@link reservedKeyBytes} for keys.
 *
 * @param parameters.base - everything a URI holds besides the key (`s3://bucket/prefix/`).
 * @throws NonRetryableStorageError `invalid-parameter`.
 * @example
 * assertUriBase({ base: 's3://tessera/miner-7/', store: 's3', what: 'bucket and prefix' });
 */
export function assertUriBase(parameters: { base: string; store: string; what: string }): void {
  const { base, store, what } = parameters;
  const bytes = Buffer.byteLength(base, 'utf8');
  if (bytes + reservedKeyBytes > maxCommittedUriBytes) {
    throw new NonRetryableStorageError('invalid-parameter', `The ${store} store's ${what} is too long.`, {
      details: `its URIs start with ${bytes} bytes (${base.slice(0, 64)}…); with a ${reservedKeyBytes}-byte key that is over the ${maxCommittedUriBytes}-byte limit of a URI on chain`,
      hint: `Shorten the ${what} to at most ${maxCommittedUriBytes - reservedKeyBytes} bytes in all.`,
    });
  }
}
