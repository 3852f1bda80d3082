import { resolve } from 'node:path';
import { createStoreRouter } from '@tessera/core';
import type { CreateS3ReaderParameters, StoreRouter } from '@tessera/core';

/** Parameters of {@link createValidatorRouter}; the fields of the validator's and worker's options. */
export type CreateValidatorRouterParameters = {
  /** The validator's own store folder: always readable. */
  storeDir: string;
  /** Read `file://` URIs anywhere (one machine), or only under `storeDir`. */
  readFileUris: boolean;
  /** Refuse HTTP URIs that resolve to private or loopback addresses. */
  blockPrivateAddresses: boolean;
  /** The `s3:` reader for the buckets this role holds credentials for (`storeReadersOf`). */
  s3?: CreateS3ReaderParameters | undefined;
};

/**
 * The store router a validator and its workers read with: miners' updates over HTTP (and
 * `file:` on one machine), `s3:` URIs of the buckets in `s3`, the validator's own files
 * under `storeDir` always.
 *
 * @example
 * const router = createValidatorRouter(options);
 */
export function createValidatorRouter(parameters: CreateValidatorRouterParameters): StoreRouter {
  return createStoreRouter({
    file: parameters.readFileUris ? {} : { roots: [resolve(parameters.storeDir)] },
    http: { blockPrivateAddresses: parameters.blockPrivateAddresses },
    s3: parameters.s3,
  });
}
