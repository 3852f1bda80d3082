import { deadlineOfWindow, startBlockOfWindow } from '@tessera/core';
import type { Hex32, Neuron, PhaseClock } from '@tessera/core';
import { chainWrite } from './chainWrite.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link prepareWindow}. */
export type PrepareWindowParameters = Pick<
  WindowServices,
  'chain' | 'timing' | 'sync' | 'blockTimer' | 'metrics' | 'logger' | 'signal' | 'uid'
> & {
  window: number;
  /** Laps `wait` once the deadline has passed (the rest of the step is the caller's `sync`). */
  clock?: PhaseClock | undefined;
};

/** Window w, ready to score: θ_w and who takes part. */
export type PreparedWindow = {
  /** `deadline(w)`: commitments included before it count. */
  deadline: number;
  /** The first block of window w+2: w's aggregate must land before it. */
  nextStart: number;
  /** θ_w as the chain's followers hold it. */
  theta: Float32Array;
  thetaHash: Hex32;
  /** The metagraph's miners (neurons without a validator flag). */
  miners: Neuron[];
  /** Whether this validator holds a permit: only then it publishes and sets weights. */
  permitted: boolean;
};

/**
 * Step 1 of the window loop: waits for `deadline(w)`; gives up on w when window w+2 has
 * started already (its aggregate is final without this validator, counted
 * `windows_total{outcome="late"}`); otherwise brings the model sync to θ_w, reveals the
 * weights committed last epoch (as early in this one as possible) and reads the metagraph.
 *
 * @returns The window's θ_w and miners, or undefined when it is too late to take part.
 * @throws SyncError when θ_w cannot be had; ChainError from the reads.
 * @example
 * const prepared = await prepareWindow({ ...services, window: w });
 * if (prepared === undefined) return closeEpoch({ ...services, window: w });
 */
export async function prepareWindow(
  parameters: PrepareWindowParameters,
): Promise<PreparedWindow | undefined> {
  const { chain, timing, sync, blockTimer, metrics, logger, signal, window } = parameters;
  const deadline = deadlineOfWindow({ window, ...timing });
  blockTimer.observe(await chain.waitForBlock({ block: deadline, signal }));
  parameters.clock?.lap('wait');
  const nextStart = startBlockOfWindow({ window: window + 2, ...timing });
  if ((await chain.blockNumber()) >= nextStart) {
    // Window w+2 has started: w's aggregate is final without us, and scoring it would only
    // delay the windows still open.
    logger.warn('window skipped: too late to take part', { windowAfterNextStartedAt: nextStart });
    metrics.windows.inc({ outcome: 'late' });
    return undefined;
  }
  await sync.advanceTo({ window, signal });
  const theta = sync.parameters;
  const thetaHash = sync.hash;
  await chainWrite({ ...parameters, operation: 'reveal_weights', write: () => chain.revealPendingWeights() });
  const { neurons } = await chain.metagraph();
  const permitted = neurons.find((neuron) => neuron.uid === parameters.uid)?.validatorPermit === true;
  const miners = neurons.filter((neuron) => !neuron.isValidator);
  return { deadline, nextStart, theta, thetaHash, miners, permitted };
}
