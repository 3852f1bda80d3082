import { assignWork } from '../data/assignWork.js';

/** Parameters of {@link shardOfUid}. */
export type ShardOfUidParameters = {
  runSeed: `0x${string}`;
  window: number;
  uid: number;
  /** `blockhash(startBlock(window))`. */
  blockHash: `0x${string}`;
  shards: number;
};

/**
 * The shard a uid's update must cover in a window, without the corpus: `assignWork` draws
 * the shard first and the pages after it, so one page of a one-page split gives the same
 * shard as the real assignment. Internal to sync/.
 */
export function shardOfUid(parameters: ShardOfUidParameters): number {
  const { runSeed, window, uid, blockHash, shards } = parameters;
  if (shards === 1) return 0;
  return assignWork({ runSeed, window, uid, blockHash, shards, trainPageCount: 1, pagesPerWindow: 1 }).shard;
}
