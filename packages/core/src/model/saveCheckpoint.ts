import { CheckpointError } from '../errors/model.js';
import { writeFileAtomic } from '../storage/writeFileAtomic.js';
import { encodeCheckpoint } from './encodeCheckpoint.js';
import type { ModelConfig } from './modelConfig.js';

/** Parameters of {@link saveCheckpoint}. */
export type SaveCheckpointParameters = {
  /** Destination file; its folder is created if missing. */
  path: string;
  config: ModelConfig;
  /** The window whose starting model θ_window this is. */
  window: number;
  /** The flat parameter vector, `parameterCount({ config })` long. */
  parameters: Float32Array;
};

/** What {@link saveCheckpoint} wrote. */
export type SaveCheckpointResult = {
  path: string;
  /** Size of the file in bytes. */
  byteLength: number;
  /** `modelHash` of the parameters, as recorded in the header. */
  modelHash: `0x${string}`;
};

/**
 * Writes a checkpoint file (format in `encodeCheckpoint`) atomically: to a temporary file
 * in the same folder, flushed to disk, then renamed over `path`. A reader never sees a
 * half-written checkpoint, and a crash leaves the previous one in place.
 *
 * @returns Where it wrote, how much, and the model hash.
 * @throws CheckpointError `invalid-parameter` for bad inputs, `io` when writing fails.
 * @example
 * await saveCheckpoint({ path: '.tessera/checkpoints/w120.ckpt', config, window: 120, parameters });
 */
export async function saveCheckpoint(parameters: SaveCheckpointParameters): Promise<SaveCheckpointResult> {
  const { path } = parameters;
  if (typeof path !== 'string' || path.length === 0) {
    throw new CheckpointError('invalid-parameter', 'Checkpoint path must be a non-empty string.');
  }
  const { bytes, modelHash } = encodeCheckpoint(parameters);
  try {
    await writeFileAtomic({ path, bytes });
  } catch (error) {
    throw new CheckpointError('io', 'Could not write the checkpoint.', {
      details: error instanceof Error ? error.message : String(error),
      path,
      cause: error,
    });
  }
  return { path, byteLength: bytes.length, modelHash };
}
