import { createStoreRouter } from './createStoreRouter.js';
import type { CreateStoreRouterParameters } from './createStoreRouter.js';
import type { GetUpdateParameters } from './types.js';

/** Parameters of {@link getUpdateBytes}: the read, plus the router's options. */
export type GetUpdateBytesParameters = GetUpdateParameters & CreateStoreRouterParameters;

/**
 * Reads one update from any supported URI (`file:`, `http:`, `https:`, and `s3:` with `s3` given) with a byte cap and a
 * time limit. For many reads with the same options, build one {@link createStoreRouter}.
 *
 * @returns The bytes; check them against the committed digest before trusting them.
 * @throws StorageError; `unsupported-scheme` for any other scheme.
 * @example
 * const bytes = await getUpdateBytes({ uri: commitment.uri, maxBytes: 64 << 20, timeoutMs: 10_000 });
 */
export function getUpdateBytes(parameters: GetUpdateBytesParameters): Promise<Uint8Array> {
  const { file, http, s3, readers, ...read } = parameters;
  return createStoreRouter({ file, http, s3, readers }).get(read);
}
