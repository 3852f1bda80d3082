import { scaleDelta } from './scaleDelta.js';
import { submitDelta } from './submitDelta.js';
import type { Strategy, TrainedUpdate } from '@tessera/miner';

/**
 * A low-effort miner: trains its assigned pages honestly but for only `fraction` of the
 * inner steps (at least one), to be paid for work it did not do. Its reward per unit of
 * work must be no higher than an honest miner's.
 *
 * @example
 * const eighth = fewerSteps(1 / 8);
 */
export function fewerSteps(fraction: number): Strategy {
  return async (context) => {
    const steps = Math.max(1, Math.round(context.hyperparameters.innerSteps * fraction));
    const update = await context.train({ steps });
    return { ...honestParts(update), note: `${steps} of ${context.hyperparameters.innerSteps} inner steps` };
  };
}

/**
 * A low-effort miner: all inner steps, but on only the first `fraction` of its assigned
 * pages (at least one), so it loads and learns less data.
 *
 * @example
 * const quarter = fewerPages(1 / 4);
 */
export function fewerPages(fraction: number): Strategy {
  return async (context) => {
    const assigned = context.assignment.pages;
    const pages = assigned.slice(0, Math.max(1, Math.round(assigned.length * fraction)));
    const update = await context.train({ pages });
    return { ...honestParts(update), note: `${pages.length} of ${assigned.length} pages` };
  };
}

/**
 * Trains honestly and sends its pseudo-gradient shrunk by `factor`: what a group of uids
 * does to pull down any norm statistic taken over the window's own submissions. It must
 * change nothing for the honest miners, and earn about `factor` of an honest score.
 *
 * @example
 * const tiny = shrunkBy(1e-3);
 */
export function shrunkBy(factor: number): Strategy {
  return async (context) => {
    const update = await context.train();
    return submitDelta({
      context,
      delta: scaleDelta({ delta: update.delta, factor }),
      trained: update,
      note: `shrunk ×${factor}`,
    });
  };
}

function honestParts(update: TrainedUpdate) {
  return {
    bytes: update.bytes,
    errorFeedback: update.errorFeedback,
    compressed: update.compressed,
    losses: update.losses,
  };
}
