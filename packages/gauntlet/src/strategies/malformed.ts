import { encodedUpdateSize } from '@tessera/core';
import type { Strategy } from '@tessera/miner';

/**
 * Trains nothing: uploads random bytes of an honest update's length and commits their
 * digest. The digest matches; the decoder must reject the bytes `malformed:<reason>`.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: malformed });
 */
export const malformed: Strategy = (context) => {
  const { hyperparameters: h } = context;
  const length = encodedUpdateSize({
    parameterCount: context.parameterCount,
    shards: h.shards,
    shard: context.assignment.shard,
    chunkSize: h.chunkSize,
    topK: h.topK,
    bits: h.quantBits,
  });
  return Promise.resolve({ bytes: context.randomBytes(length), note: 'random bytes' });
};
