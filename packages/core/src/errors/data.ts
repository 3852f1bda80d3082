import { NonRetryableReasonError } from '@tessera/errors';

/**
 * Why a data operation failed. None of these is cured by retrying the same call.
 *
 * - `invalid-parameter`: a caller passed a bad page size, vocabulary size, seed, window,
 *   uid, block hash, count or page index.
 * - `corpus-unavailable`: the corpus files could not be found or read.
 * - `bad-cache`: the corpus cache could not be written (`createCorpus` logs it and goes on
 *   without a cache).
 * - `bad-tokens`: token ids outside the vocabulary were given to `decode` or a batch.
 */
export type DataReason = 'invalid-parameter' | 'corpus-unavailable' | 'bad-cache' | 'bad-tokens';

/**
 * A data operation that failed: bad input to assignment or paging, a missing corpus, a
 * token id outside the vocabulary.
 *
 * @example
 * throw new DataError('invalid-parameter', 'pagesPerWindow exceeds the training pages.', {
 *   details: `${pagesPerWindow} > ${trainPageCount}`,
 * });
 */
export class DataError extends NonRetryableReasonError<DataReason> {
  override name = 'DataError';
}
