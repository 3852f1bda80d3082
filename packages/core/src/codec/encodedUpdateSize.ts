import { assertBits, assertInteger } from './assertParameter.js';
import { shardRange } from './shardRange.js';
import { maxChunkSize, updateLayout } from './wireFormat.js';
import type { QuantBits } from './wireFormat.js';

/** Parameters of {@link encodedUpdateSize}. */
export type EncodedUpdateSizeParameters = {
  parameterCount: number;
  shards: number;
  shard: number;
  chunkSize: number;
  topK: number;
  bits: QuantBits;
};

/**
 * The exact byte length of an encoded update for a shard and compression settings; every
 * update of that shape has this length, whatever its values. Use it to size byte caps.
 *
 * @throws CodecParameterError when a count is out of range.
 * @example
 * const bytes = encodedUpdateSize({ parameterCount: 10_000_000, shards: 1, shard: 0, chunkSize: 4096, topK: 128, bits: 2 });
 * const ratio = (4 * 10_000_000) / bytes; // ≈ 108
 */
export function encodedUpdateSize(parameters: EncodedUpdateSizeParameters): number {
  const { length } = shardRange(parameters);
  assertInteger('chunkSize', parameters.chunkSize, 1, maxChunkSize);
  assertInteger('topK', parameters.topK, 1, parameters.chunkSize);
  assertBits('bits', parameters.bits);
  return updateLayout({
    shardLength: length,
    chunkSize: parameters.chunkSize,
    topK: parameters.topK,
    bits: parameters.bits,
  }).totalBytes;
}
