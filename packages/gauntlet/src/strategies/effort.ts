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

function honestParts(update: TrainedUpdate) {
  return {
    bytes: update.bytes,
    errorFeedback: update.errorFeedback,
    compressed: update.compressed,
    losses: update.losses,
  };
}
