import { NonRetryableError, NonRetryableReasonError } from '@tessera/errors';
import type { BaseErrorParameters } from '@tessera/errors';

/**
 * Why a model operation failed. None of these is cured by retrying the same call.
 *
 * - `invalid-config`: a model config breaks its schema or a cross-field rule (`dModel`
 *   not divisible by `heads`, an unknown preset name).
 * - `invalid-parameter`: a caller passed a bad seed, step count, learning rate or option.
 * - `invalid-batch`: a token batch has the wrong dtype, shape, length, or a token outside
 *   the vocabulary.
 * - `parameter-mismatch`: a flat parameter vector has the wrong length for the model.
 * - `backend-unavailable`: no TensorFlow.js backend could be started (or the one named in
 *   `TESSERA_BACKEND` is unknown).
 * - `non-finite`: training produced a NaN or infinite loss.
 * - `disposed`: the model or optimizer was used after `dispose()`.
 */
export type ModelReason =
  | 'invalid-config'
  | 'invalid-parameter'
  | 'invalid-batch'
  | 'parameter-mismatch'
  | 'backend-unavailable'
  | 'non-finite'
  | 'disposed';

/**
 * A model operation that failed: a bad config, a malformed batch, a parameter vector of the
 * wrong length, no backend.
 *
 * @example
 * throw new ModelError('parameter-mismatch', 'Parameter vector has the wrong length.', {
 *   details: `${flat.length} != ${expected}`,
 * });
 */
export class ModelError extends NonRetryableReasonError<ModelReason> {
  override name = 'ModelError';
}

/**
 * Why a checkpoint could not be written or read.
 *
 * - `io`: the file could not be read or written (missing, permission denied, disk full).
 * - `bad-magic`: the bytes do not start with the checkpoint magic.
 * - `bad-version`: the format version is not one this code reads.
 * - `truncated`: the bytes end before the header or the parameters do.
 * - `bad-header`: the JSON header does not parse or breaks its schema.
 * - `length-mismatch`: the parameter count disagrees with the config, or trailing bytes follow.
 * - `hash-mismatch`: the parameters do not hash to the header's `modelHash`.
 * - `unexpected`: the checkpoint is well formed but not the one the caller expected
 *   (another config, window or model hash).
 * - `invalid-parameter`: a caller passed a bad path, window or parameter vector.
 */
export type CheckpointReason =
  | 'io'
  | 'bad-magic'
  | 'bad-version'
  | 'truncated'
  | 'bad-header'
  | 'length-mismatch'
  | 'hash-mismatch'
  | 'unexpected'
  | 'invalid-parameter';

/** Parameters of {@link CheckpointError}. */
export type CheckpointErrorParameters = BaseErrorParameters & {
  /** The checkpoint file, when there is one. */
  path?: string | undefined;
};

/**
 * A checkpoint that could not be saved or loaded: unreadable, malformed, corrupt, or not the
 * one expected.
 *
 * @example
 * try { await loadCheckpoint({ path }) } catch (error) {
 *   if (error instanceof CheckpointError && error.reason === 'hash-mismatch') await refetch();
 * }
 */
export class CheckpointError extends NonRetryableError {
  override name = 'CheckpointError';
  /** Stable code for logs, metrics and rejection reasons. */
  readonly reason: CheckpointReason;
  /** The checkpoint file, when there is one. */
  readonly path: string | undefined;

  constructor(reason: CheckpointReason, shortMessage: string, parameters: CheckpointErrorParameters = {}) {
    const { path, ...rest } = parameters;
    super(
      shortMessage,
      path === undefined ? rest : { ...rest, metaMessages: [...(rest.metaMessages ?? []), `Path: ${path}`] },
    );
    this.reason = reason;
    this.path = path;
  }
}
