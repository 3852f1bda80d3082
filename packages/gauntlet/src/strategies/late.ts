import { honest } from '@tessera/miner';
import type { Strategy } from '@tessera/miner';

/**
 * Trains honestly but commits only once the deadline block is reached. The chain rejects
 * the commitment; the miner logs it and goes on with the next window.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: late });
 */
export const late: Strategy = async (context) => {
  const submission = await honest(context);
  return submission && { ...submission, commitAtBlock: context.deadline, note: 'late on purpose' };
};
