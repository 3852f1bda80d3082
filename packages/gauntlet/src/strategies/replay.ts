import { honest } from '@tessera/miner';
import type { Strategy } from '@tessera/miner';

/**
 * Trains once, then sends that same update again every window, re-encoded for the new
 * window (and shard, when it has the same length) so it decodes. In its first window, or
 * when the old update does not fit the new shard, it trains honestly and keeps that update.
 * A stale update must score no better than doing nothing.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: replay });
 */
export const replay: Strategy = async (context) => {
  const { previous } = context;
  if (previous === undefined || previous.compressed.length !== context.shardRange.length) {
    return honest(context);
  }
  return {
    bytes: context.encode(previous.compressed),
    compressed: previous.compressed,
    note: `replayed window ${previous.window}`,
  };
};
