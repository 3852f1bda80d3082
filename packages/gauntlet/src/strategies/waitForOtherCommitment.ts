import type { Commitment } from '@tessera/core';
import type { StrategyContext } from '@tessera/miner';

/** The copying strategies stop waiting for another miner's commitment this many blocks before the deadline. */
export const copyMarginBlocks = 3;

/**
 * Waits until another miner has committed for the context's window and returns the earliest
 * such commitment (lowest block, then lowest uid), or undefined once the deadline is
 * {@link copyMarginBlocks} blocks away. For the copying strategies.
 *
 * @example
 * const victim = await waitForOtherCommitment(context);
 */
export async function waitForOtherCommitment(context: StrategyContext): Promise<Commitment | undefined> {
  const { chain, window, uid, signal } = context;
  const giveUpAt = context.deadline - copyMarginBlocks;
  for (;;) {
    const others = (await chain.commitments({ window }))
      .filter((commitment) => commitment.uid !== uid)
      .sort((a, b) => a.block - b.block || a.uid - b.uid);
    if (others[0] !== undefined) return others[0];
    const head = await chain.blockNumber();
    if (head >= giveUpAt) return undefined;
    await chain.waitForBlock({ block: head + 1, signal });
  }
}
