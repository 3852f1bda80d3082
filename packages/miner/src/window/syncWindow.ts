import { isSyncError } from '@tessera/core';
import type { Hex32, Logger, ModelSync } from '@tessera/core';
import type { ErrorFeedbackStore } from '../createErrorFeedbackStore.js';
import { settleErrorFeedback } from '../settleErrorFeedback.js';

/** Parameters of {@link syncWindow}. */
export type SyncWindowParameters = {
  sync: ModelSync;
  feedback: ErrorFeedbackStore;
  logger: Logger;
  signal: AbortSignal;
  window: number;
  /** The last window whose send was restored, in memory only (`settleErrorFeedback`). */
  lastRestoredWindow: number | undefined;
};

/** What syncing to a window gave. */
export type SyncedWindow =
  | {
      synced: true;
      /** The model held before, when the sync moved to another one (look-back strategies use it). */
      before: { window: number; parameters: Float32Array; hash: Hex32 } | undefined;
      lastRestoredWindow: number | undefined;
    }
  | { synced: false };

/**
 * Step 1 of the miner's window: brings the sync to θ_w (waiting for aggregate(w−1)); on a
 * non-retryable sync error logs it and `sync.reset()`s, so the next window starts from the
 * latest checkpoint. Then settles the error feedback of every committed window the sync has
 * passed (`settleErrorFeedback`: a set that leaves this uid out puts the pre-send buffer back).
 *
 * @throws the sync's retryable errors, and the signal's reason.
 * @example
 * const synced = await syncWindow({ sync, feedback, logger, signal, window, lastRestoredWindow });
 * if (!synced.synced) return waitForWindow(window + 1);
 */
export async function syncWindow(parameters: SyncWindowParameters): Promise<SyncedWindow> {
  const { sync, feedback, logger, signal, window } = parameters;
  const before = { window: sync.window, parameters: sync.parameters, hash: sync.hash };
  try {
    await sync.advanceTo({ window, signal });
  } catch (error) {
    if (signal.aborted || !isSyncError(error) || error.retryable) throw error;
    logger.warn('model out of sync, starting over from the latest checkpoint', {
      window,
      reason: error.reason,
      error,
    });
    sync.reset();
    return { synced: false };
  }
  // The aggregates just followed say whether the updates committed before are in θ_w.
  const settled = await settleErrorFeedback({
    feedback,
    sync,
    logger,
    lastRestoredWindow: parameters.lastRestoredWindow,
  });
  return {
    synced: true,
    before: before.window < sync.window && before.hash !== sync.hash ? before : undefined,
    lastRestoredWindow:
      settled.findLast((send) => send.result === 'restored')?.window ?? parameters.lastRestoredWindow,
  };
}
