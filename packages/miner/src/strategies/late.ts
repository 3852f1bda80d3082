import { honest } from './honest.js';
import type { Strategy } from './types.js';

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
