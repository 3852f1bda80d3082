import { windowOfBlock } from '@tessera/core';
import { ValidatorError } from '../errors/validator.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link firstWindow}. */
export type FirstWindowParameters = Pick<WindowServices, 'chain' | 'timing' | 'redis' | 'keys' | 'logger'>;

/**
 * The window to start at: the one after Redis's `last-window`, or, when that one (or a fresh
 * start) lies too far back to take part in, the window before the head's, whose deadline has
 * passed or is near.
 *
 * @throws ValidatorError `bad-state` when Redis holds a malformed `last-window`.
 * @example
 * let window = await firstWindow({ chain, timing, redis, keys, logger });
 */
export async function firstWindow(parameters: FirstWindowParameters): Promise<number> {
  const { chain, timing, redis, keys, logger } = parameters;
  const last = await redis.get(keys.lastWindow);
  const head = await chain.blockNumber();
  const headWindow = head < timing.startBlock ? 0 : windowOfBlock({ block: head, ...timing });
  const resumeAt = last === null ? 0 : Number(last) + 1;
  if (!Number.isSafeInteger(resumeAt) || resumeAt < 0) {
    throw new ValidatorError('bad-state', 'Redis holds a malformed last-window.', {
      details: `${keys.lastWindow} = ${last}`,
    });
  }
  const window = Math.max(resumeAt, headWindow - 1);
  logger.info(last === null ? 'starting fresh' : 'resuming', {
    window,
    lastWindow: last ?? undefined,
    head,
  });
  if (window > resumeAt && last !== null)
    logger.warn('windows missed while stopped', { from: resumeAt, to: window - 1 });
  return window;
}
