import { assertInteger } from './assertParameter.js';
import { maxParameterCount, maxShards } from './wireFormat.js';

/** Parameters of {@link shardRange}. */
export type ShardRangeParameters = {
  /** Length N of the model's flat parameter vector, 1 to 2^32 − 1. */
  parameterCount: number;
  /** Number of shards S, 1 to min(N, 65535). */
  shards: number;
  /** The shard, 0 to S − 1. */
  shard: number;
};

/** The contiguous slice of the flat parameter vector one shard covers. */
export type ShardRange = {
  /** First flat index, `⌊shard·N/S⌋`. */
  offset: number;
  /** Entries in the shard, `⌊(shard+1)·N/S⌋ − offset`; never zero. */
  length: number;
  /** One past the last flat index. */
  end: number;
};

/**
 * Returns the slice `[⌊s·N/S⌋, ⌊(s+1)·N/S⌋)` of the flat parameter vector that shard `s`
 * covers. Shards tile the vector in order, their lengths differ by at most one.
 *
 * @throws CodecParameterError when a count is not an integer in range.
 * @example
 * shardRange({ parameterCount: 10, shards: 3, shard: 1 }); // { offset: 3, length: 3, end: 6 }
 */
export function shardRange(parameters: ShardRangeParameters): ShardRange {
  const { parameterCount, shards, shard } = parameters;
  assertInteger('parameterCount', parameterCount, 1, maxParameterCount);
  assertInteger('shards', shards, 1, Math.min(maxShards, parameterCount));
  assertInteger('shard', shard, 0, shards - 1);
  // shard·N < 2^16·2^32, exact in a double.
  const offset = Math.floor((shard * parameterCount) / shards);
  const end = Math.floor(((shard + 1) * parameterCount) / shards);
  return { offset, length: end - offset, end };
}
