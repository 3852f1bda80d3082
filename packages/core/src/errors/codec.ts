import { NonRetryableError, NonRetryableReasonError } from '@tessera/errors';
import type { BaseErrorParameters } from '@tessera/errors';

/**
 * Why the decoder rejected an update's bytes. Stable codes: validators report them as
 * `malformed:<reason>`, so they go in logs, metrics and the API unchanged.
 *
 * - `oversize`: more bytes than the caller's `maxBytes`.
 * - `bad-magic`: the bytes do not start with `TSRU`.
 * - `bad-version`: a wire-format version this decoder does not read.
 * - `bad-header`: reserved header bits set, or a `bits` value other than 2, 8 or 32.
 * - `bad-shape`: header sizes that contradict each other (shard out of range, offset or
 *   length not the shard's, chunk size or top-k out of bounds).
 * - `truncated`: fewer bytes than the header's sizes call for.
 * - `trailing-bytes`: more bytes than the header's sizes call for.
 * - `bad-scale`: a negative quantization scale, or a 2-bit chunk whose small level is
 *   above its large one.
 * - `non-finite`: a NaN or infinite scale or value.
 * - `bad-index-coding`: an Elias–Fano index block that does not hold the right number of entries.
 * - `index-out-of-range`: an index past the end of its chunk.
 * - `duplicate-index`: the same index twice in a chunk.
 * - `unsorted-index`: indices of a chunk not in ascending order.
 * - `non-canonical`: padding bits that are not zero, or the int8 code -128 (codes are
 *   symmetric, -127..127), so no two byte strings carry the same update.
 * - `wrong-window`, `wrong-shard`, `wrong-shards`, `wrong-parameter-count`: the header
 *   disagrees with what the caller expected for this miner and window.
 * - `wrong-compression`: chunk size, top-k or bits differ from the run's hyperparameters.
 */
export type UpdateDecodeReason =
  | 'oversize'
  | 'bad-magic'
  | 'bad-version'
  | 'bad-header'
  | 'bad-shape'
  | 'truncated'
  | 'trailing-bytes'
  | 'bad-scale'
  | 'non-finite'
  | 'bad-index-coding'
  | 'index-out-of-range'
  | 'duplicate-index'
  | 'unsorted-index'
  | 'non-canonical'
  | 'wrong-window'
  | 'wrong-shard'
  | 'wrong-shards'
  | 'wrong-parameter-count'
  | 'wrong-compression';

/**
 * The bytes of an update were rejected: malformed, hostile, or not the update the caller
 * expected. The only error `decodeUpdate` throws for bad bytes; retrying cannot help.
 *
 * @example
 * try { decodeUpdate({ bytes, expected }) } catch (error) {
 *   if (error instanceof UpdateDecodeError) return reject(`malformed:${error.reason}`);
 *   throw error;
 * }
 */
export class UpdateDecodeError extends NonRetryableReasonError<UpdateDecodeReason> {
  override name = 'UpdateDecodeError';

  constructor(reason: UpdateDecodeReason, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(reason, shortMessage, {
      ...parameters,
      metaMessages: [...(parameters.metaMessages ?? []), `Reason: ${reason}`],
    });
  }
}

/**
 * A codec function was called with an invalid argument: a programming or configuration
 * error on the caller's side, never a verdict on a miner's bytes.
 *
 * @example
 * throw new CodecParameterError('chunkSize', 'chunkSize must be an integer from 1 to 16777216.', {
 *   details: `got ${chunkSize}`,
 * });
 */
export class CodecParameterError extends NonRetryableError {
  override name = 'CodecParameterError';
  /** The parameter that was wrong, e.g. `topK` or `expected.window`. */
  readonly parameter: string;

  constructor(parameter: string, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, parameters);
    this.parameter = parameter;
  }
}
