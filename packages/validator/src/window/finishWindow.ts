import type { WindowServices } from './types.js';

/** Parameters of {@link finishWindow}. */
export type FinishWindowParameters = Pick<WindowServices, 'redis' | 'keys' | 'metrics'> & {
  window: number;
  /** The uids whose bytes the workers may have left in Redis. */
  uids: readonly number[];
};

/**
 * Step 12, last: drops the update bytes the workers left for the window and sets
 * `last-window`, so a crash anywhere before runs the window again on restart (the averages,
 * the aggregate, the checkpoint and the weights are each guarded against a second time).
 *
 * @example
 * await finishWindow({ redis, keys, metrics, window: w, uids: jobs.map((job) => job.uid) });
 */
export async function finishWindow(parameters: FinishWindowParameters): Promise<void> {
  const { redis, keys, metrics, window, uids } = parameters;
  if (uids.length > 0) await redis.del(...uids.map((uid) => keys.updateBytes(window, uid)));
  await redis.set(keys.lastWindow, String(window));
  metrics.window.set(window);
  metrics.windows.inc({ outcome: 'done' });
}
