import { compressUpdate } from '../codec/compressUpdate.js';
import type { CompressedUpdate } from '../codec/compressUpdate.js';
import { encodeUpdate } from '../codec/encodeUpdate.js';
import { shardRange } from '../codec/shardRange.js';
import type { QuantBits } from '../codec/wireFormat.js';
import { createRandom } from '../common/createRandom.js';

/** Parameters of {@link makeUpdate}; every field has a small default. */
export type MakeUpdateParameters = {
  parameterCount?: number;
  shards?: number;
  shard?: number;
  window?: number;
  chunkSize?: number;
  topK?: number;
  bits?: QuantBits;
  /** Seed of the random normal delta. */
  seed?: number;
};

/**
 * Compresses and encodes a random update, for decoder tests.
 *
 * @example
 * const { bytes, compressed, offset } = makeUpdate({ bits: 2 });
 */
export function makeUpdate(parameters: MakeUpdateParameters = {}): {
  bytes: Uint8Array;
  compressed: CompressedUpdate;
  offset: number;
  window: number;
  parameterCount: number;
  shards: number;
  shard: number;
} {
  const {
    parameterCount = 1000,
    shards = 2,
    shard = 1,
    window = 7,
    chunkSize = 64,
    topK = 8,
    bits = 8,
    seed = 1,
  } = parameters;
  const random = createRandom({ seed });
  const range = shardRange({ parameterCount, shards, shard });
  const delta = Float32Array.from({ length: range.length }, () => random.normal());
  const compressed = compressUpdate({
    delta,
    errorFeedback: new Float32Array(range.length),
    chunkSize,
    topK,
    bits,
  });
  const bytes = encodeUpdate({ ...compressed, window, parameterCount, shards, shard });
  return { bytes, compressed, offset: range.offset, window, parameterCount, shards, shard };
}
