import { lazyPages } from './lazyPages.js';
import type { Strategy } from '@tessera/miner';

/**
 * Trains properly, but on pages it was not assigned (the same low-numbered pages every
 * window). Its update helps the model, so only the proof of assignment can catch it: it
 * improves its assigned pages no more than random ones and must be rejected `not-assigned`.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: lazy });
 */
export const lazy: Strategy = async (context) => {
  const pages = lazyPages({
    assigned: context.assignment.pages,
    count: context.assignment.pages.length,
    trainPageCount: context.trainPageCount,
  });
  const update = await context.train({ pages });
  return {
    bytes: update.bytes,
    errorFeedback: update.errorFeedback,
    compressed: update.compressed,
    losses: update.losses,
    note: `trained on pages ${pages.slice(0, 4).join(',')}${pages.length > 4 ? ',…' : ''}`,
  };
};
