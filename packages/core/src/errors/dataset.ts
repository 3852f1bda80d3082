import { NonRetryableReasonError } from '@tessera/errors';

/**
 * Why a dataset operation failed.
 *
 * - `invalid-parameter`: a caller passed a bad shard size, digest, mirror or input.
 * - `bad-input`: an input file could not be read, or a JSONL line is not `{ "text": string }`.
 * - `bad-manifest`: the manifest breaks its schema or names tokens outside its vocabulary.
 * - `digest-mismatch`: bytes from a mirror (or the cache) do not hash to the digest that names them.
 * - `unavailable`: no mirror served verified bytes for a manifest or shard.
 */
export type DatasetReason =
  'invalid-parameter' | 'bad-input' | 'bad-manifest' | 'digest-mismatch' | 'unavailable';

/**
 * A dataset operation that failed: bad input to `buildDataset`, a manifest that breaks its
 * schema, a shard that no mirror serves with the right digest.
 *
 * @example
 * throw new DatasetError('digest-mismatch', 'Shard does not match its digest.', { details: uri });
 */
export class DatasetError extends NonRetryableReasonError<DatasetReason> {
  override name = 'DatasetError';
}
