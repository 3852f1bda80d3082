import { readFile } from 'node:fs/promises';
import { CheckpointError } from '../errors/model.js';
import { decodeCheckpoint } from './decodeCheckpoint.js';
import type { LoadedCheckpoint, CheckpointExpectation } from './decodeCheckpoint.js';

/** Parameters of {@link loadCheckpoint}: a file path or the bytes themselves. */
export type LoadCheckpointParameters = (
  { path: string; bytes?: undefined } | { bytes: Uint8Array; path?: undefined }
) & {
  /** Config, window or model hash the checkpoint must have. */
  expected?: CheckpointExpectation | undefined;
};

/**
 * Reads and verifies a checkpoint from a file or from bytes (downloaded from a store).
 * Every check of `decodeCheckpoint` applies: magic, version, header, lengths, hash, and the
 * caller's expectations.
 *
 * @returns The config, window, model hash and parameters.
 * @throws CheckpointError `io` when the file cannot be read; the decode reasons otherwise.
 * @example
 * const { parameters, window } = await loadCheckpoint({ path, expected: { modelHash: committed } });
 * setParameters({ model, parameters });
 */
export async function loadCheckpoint(parameters: LoadCheckpointParameters): Promise<LoadedCheckpoint> {
  const { path, expected } = parameters;
  if (parameters.bytes !== undefined) return decodeCheckpoint({ bytes: parameters.bytes, expected });
  if (typeof path !== 'string' || path.length === 0) {
    throw new CheckpointError('invalid-parameter', 'Give a checkpoint path or its bytes.');
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError('io', 'Could not read the checkpoint.', {
      details: error instanceof Error ? error.message : String(error),
      path,
      cause: error,
    });
  }
  return decodeCheckpoint({ bytes, expected, path });
}
