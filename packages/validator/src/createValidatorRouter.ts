import { createReaderRouter } from '@tessera/core';
import type { CreateReaderRouterParameters, StoreRouter } from '@tessera/core';

/** Parameters of {@link createValidatorRouter}; the fields of the validator's and worker's options. */
export type CreateValidatorRouterParameters = CreateReaderRouterParameters;

/**
 * The store router a validator and its workers read with: miners' updates over HTTP (and
 * `file:` on one machine), `s3:` URIs of the buckets in `s3`, the validator's own files
 * under `storeDir` always; see `createReaderRouter`.
 *
 * @example
 * const router = createValidatorRouter(options);
 */
export function createValidatorRouter(parameters: CreateValidatorRouterParameters): StoreRouter {
  return createReaderRouter(parameters);
}
