import { CheckpointError } from '../errors/model.js';
import type { ModelConfig } from './modelConfig.js';
import { ModelConfigSchema, parseModelConfig } from './modelConfig.js';
import { float32LittleEndianBytes, modelHash } from './modelHash.js';
import { parameterCount } from './parameterLayout.js';

/** The first 8 bytes of every checkpoint: ASCII `TSRACKPT`. */
export const checkpointMagic: Uint8Array = new TextEncoder().encode('TSRACKPT');

/** The checkpoint format version this code writes and reads. */
export const checkpointVersion = 1;

/** Largest JSON header accepted, in bytes. */
export const maxCheckpointHeaderBytes = 64 * 1024;

/** The JSON header of a checkpoint. */
export type CheckpointHeader = {
  /** The model config the parameters belong to (its `name` included). */
  config: ModelConfig;
  /** The window whose starting model θ_window this is. */
  window: number;
  parameterCount: number;
  /** `modelHash` of the parameters. */
  modelHash: `0x${string}`;
};

/** Parameters of {@link encodeCheckpoint}. */
export type EncodeCheckpointParameters = {
  config: ModelConfig;
  /** The window whose starting model θ_window this is. */
  window: number;
  /** The flat parameter vector, `parameterCount({ config })` long. */
  parameters: Float32Array;
};

/**
 * Encodes a checkpoint. The layout, all integers little-endian:
 *
 * | bytes        | content                                                        |
 * | ------------ | -------------------------------------------------------------- |
 * | 0..8         | magic `TSRACKPT`                                               |
 * | 8..12        | format version (u32), 1                                        |
 * | 12..16       | header length H (u32)                                          |
 * | 16..16+H     | UTF-8 JSON {@link CheckpointHeader}, keys in that order        |
 * | ..           | zero bytes up to a multiple of 4                               |
 * | ..end        | `parameterCount` float32 values, nothing after them            |
 *
 * The same parameters, config and window always give the same bytes (no timestamps), so
 * validators that hold the same model write byte-identical checkpoints.
 *
 * @returns The checkpoint bytes and the model hash it records.
 * @throws CheckpointError `invalid-parameter` for a bad config, window or vector length.
 * @example
 * const { bytes } = encodeCheckpoint({ config: modelPresets.tiny, window: 12, parameters });
 */
export function encodeCheckpoint(parameters: EncodeCheckpointParameters): {
  bytes: Uint8Array;
  modelHash: `0x${string}`;
} {
  const { window, parameters: flat } = parameters;
  let config: ModelConfig;
  try {
    config = parseModelConfig({ config: parameters.config });
  } catch (error) {
    throw new CheckpointError('invalid-parameter', 'Checkpoint config is invalid.', { cause: error });
  }
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new CheckpointError('invalid-parameter', 'Checkpoint window must be a non-negative integer.', {
      details: `window: ${window}`,
    });
  }
  const count = parameterCount({ config });
  if (!(flat instanceof Float32Array) || flat.length !== count) {
    throw new CheckpointError('invalid-parameter', 'Parameter vector has the wrong length for the config.', {
      details: `${flat instanceof Float32Array ? flat.length : typeof flat} values, config "${config.name}" has ${count}`,
    });
  }
  const hash = modelHash({ parameters: flat });
  // Config keys in schema order, so equal configs always serialize to equal bytes.
  const canonical = Object.fromEntries(
    Object.keys(ModelConfigSchema.properties).map((key) => [key, config[key as keyof ModelConfig]]),
  ) as ModelConfig;
  const header: CheckpointHeader = { config: canonical, window, parameterCount: count, modelHash: hash };
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(16 + headerBytes.length);
  const bytes = new Uint8Array(dataStart + count * 4);
  const view = new DataView(bytes.buffer);
  bytes.set(checkpointMagic, 0);
  view.setUint32(8, checkpointVersion, true);
  view.setUint32(12, headerBytes.length, true);
  bytes.set(headerBytes, 16);
  bytes.set(float32LittleEndianBytes(flat), dataStart);
  return { bytes, modelHash: hash };
}

/** @internal */
export function align4(n: number): number {
  return (n + 3) & ~3;
}
