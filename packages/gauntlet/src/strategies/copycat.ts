import type { Strategy } from '@tessera/miner';
import { waitForOtherCommitment } from './waitForOtherCommitment.js';

/**
 * Trains nothing: waits for another miner's commitment in the same window and commits the
 * same digest and URI as its own. Validators count a digest only for its earliest
 * commitment, so the copy must be rejected `duplicate`. Commits nothing when no one else
 * commits before `copyMarginBlocks` blocks ahead of the deadline.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: copycat });
 */
export const copycat: Strategy = async (context) => {
  const victim = await waitForOtherCommitment(context);
  if (victim === undefined) {
    context.logger.info('copycat found no commitment to copy', { window: context.window });
    return undefined;
  }
  return { digest: victim.digest, uri: victim.uri, note: `copied uid ${victim.uid}` };
};
