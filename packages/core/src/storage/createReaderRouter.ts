import { resolve } from 'node:path';
import { createStoreRouter } from './createStoreRouter.js';
import type { StoreRouter } from './createStoreRouter.js';
import type { CreateS3ReaderParameters } from './createS3Reader.js';

/** Parameters of {@link createReaderRouter}: the fields of `readerFields()` and the role's store folder. */
export type CreateReaderRouterParameters = {
  /** The role's own store folder: its `file://` URIs are always readable. */
  storeDir: string;
  /** Read `file://` URIs anywhere (one machine), or only under `storeDir`. */
  readFileUris: boolean;
  /** Refuse HTTP URIs that resolve to loopback, private or link-local addresses. */
  blockPrivateAddresses: boolean;
  /** The `s3:` reader for the buckets this role holds credentials for (`storeReadersOf`). */
  s3?: CreateS3ReaderParameters | undefined;
};

/**
 * The store router a role reads other participants' URIs with, under the rules of
 * `readerFields()`: HTTP(S) with private addresses blocked unless allowed, `file:` anywhere
 * only when allowed (always under the role's own folder), `s3:` for the buckets in `s3`.
 *
 * @example
 * const router = createReaderRouter({ ...options, s3: opened.s3 });
 */
export function createReaderRouter(parameters: CreateReaderRouterParameters): StoreRouter {
  return createStoreRouter({
    file: parameters.readFileUris ? {} : { roots: [resolve(parameters.storeDir)] },
    http: { blockPrivateAddresses: parameters.blockPrivateAddresses },
    s3: parameters.s3,
  });
}
