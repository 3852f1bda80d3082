import { decodeUpdate } from '../codec/decodeUpdate.js';
import type { DecodedUpdate } from '../codec/decodeUpdate.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/** Parameters of {@link decodeWindowUpdate}. */
export type DecodeWindowUpdateParameters = {
  /** The bytes a commitment's URI served. Untrusted. */
  bytes: Uint8Array;
  /** The window the commitment is for. */
  window: number;
  /** The shard the committing uid was assigned (`assignWork`). */
  shard: number;
  /** Entries in the model's parameter vector. */
  parameterCount: number;
  hyperparameters: Pick<Hyperparameters, 'maxUpdateBytes' | 'shards' | 'chunkSize' | 'topK' | 'quantBits'>;
};

/**
 * The strict decode of a window's update, as every party does it: the run's byte cap,
 * parameter count, shards, chunk size, top-k and bits, the window and the uid's shard.
 * Validators, workers and model sync call this, never `decodeUpdate` with their own copy
 * of the expectations.
 *
 * @returns The decoded update, global indices.
 * @throws UpdateDecodeError with the reason the bytes are refused.
 * @example
 * const update = decodeWindowUpdate({ bytes, window, shard, parameterCount, hyperparameters });
 */
export function decodeWindowUpdate(parameters: DecodeWindowUpdateParameters): DecodedUpdate {
  const { bytes, window, shard, parameterCount, hyperparameters: h } = parameters;
  return decodeUpdate({
    bytes,
    expected: {
      maxBytes: h.maxUpdateBytes,
      window,
      parameterCount,
      shards: h.shards,
      shard,
      chunkSize: h.chunkSize,
      topK: h.topK,
      bits: h.quantBits,
    },
  });
}
