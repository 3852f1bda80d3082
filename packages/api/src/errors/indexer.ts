import { NonRetryableError, RetryableError } from '@tessera/core';

/** The chain or Redis failed while indexing; the indexer retries with backoff. */
export class IndexerError extends RetryableError {
  override name = 'IndexerError';
}

/**
 * The chain no longer contains a block the index was built on: a reorganisation deeper than
 * the configured confirmations. Retrying cannot help; the index must be rebuilt.
 */
export class IndexReorgError extends NonRetryableError {
  override name = 'IndexReorgError';
}

/** The index in Redis belongs to another subnet or chain, or was written in another format. */
export class IndexFormatError extends NonRetryableError {
  override name = 'IndexFormatError';
}

/** Invalid parameters given to createIndexer, createApiServer or startApi. */
export class ApiConfigError extends NonRetryableError {
  override name = 'ApiConfigError';
}
