import { decodeWindowUpdate, digestUpdate } from '@tessera/core';
import type { Commitment, DecodedUpdate } from '@tessera/core';
import type { StrategyContext } from '@tessera/miner';
import { copyMarginBlocks } from './waitForOtherCommitment.js';

/** Another miner's update of this window on the same shard, laid out densely on the shard. */
export type VictimUpdate = {
  commitment: Commitment;
  /** Shard-long values, zero where the victim sent nothing. */
  delta: Float32Array;
  decoded: DecodedUpdate;
};

/**
 * Waits for other miners' commitments of the context's window, downloads each as it lands
 * (earliest first), and returns the first that matches its digest and decodes as validators
 * decode this window's updates (`decodeWindowUpdate`) for this miner's shard; undefined once
 * the deadline is `copyMarginBlocks` blocks away. Every commitment's URI is public
 * once it lands, so this is what any miner can do.
 *
 * @example
 * const victim = await waitForSameShardUpdate(context);
 */
export async function waitForSameShardUpdate(context: StrategyContext): Promise<VictimUpdate | undefined> {
  const { chain, window, uid, signal, hyperparameters: h, shardRange } = context;
  const giveUpAt = context.deadline - copyMarginBlocks;
  const tried = new Set<number>();
  for (;;) {
    const others = (await chain.commitments({ window }))
      .filter((commitment) => commitment.uid !== uid && !tried.has(commitment.uid))
      .sort((a, b) => a.block - b.block || a.uid - b.uid);
    for (const commitment of others) {
      tried.add(commitment.uid);
      try {
        const bytes = await context.download(commitment.uri);
        if (digestUpdate(bytes) !== commitment.digest.toLowerCase()) continue;
        const decoded = decodeWindowUpdate({
          bytes,
          window,
          shard: context.assignment.shard,
          parameterCount: context.parameterCount,
          hyperparameters: h,
        });
        const delta = new Float32Array(shardRange.length);
        for (let t = 0; t < decoded.indices.length; t++) {
          const position = decoded.indices[t]! - shardRange.offset;
          if (position >= 0 && position < delta.length) delta[position] = decoded.values[t]!;
        }
        return { commitment, delta, decoded };
      } catch (error) {
        context.logger.debug('could not read another miner’s update', { uid: commitment.uid, error });
      }
    }
    const head = await chain.blockNumber();
    if (head >= giveUpAt) return undefined;
    await chain.waitForBlock({ block: head + 1, signal });
  }
}
