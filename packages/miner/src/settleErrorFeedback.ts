import type { Logger, ModelSync } from '@tessera/core';
import type { ErrorFeedbackStore, PendingSend } from './createErrorFeedbackStore.js';

/** Parameters of {@link settleErrorFeedback}. */
export type SettleErrorFeedbackParameters = {
  feedback: Pick<ErrorFeedbackStore, 'pending' | 'settle'>;
  /** The model sync, just advanced to the window about to be trained. */
  sync: Pick<ModelSync, 'window' | 'followed'>;
  /**
   * The last window whose send was restored, if any: a send of the window right after it is
   * kept even when left out (see the code). The caller carries it from one call to the next.
   */
  lastRestoredWindow?: number | undefined;
  logger: Logger;
};

/** What {@link settleErrorFeedback} did with one pending send. */
export type SettledSend = PendingSend & {
  result: 'restored' | 'kept';
  /**
   * `in-aggregate`: the uid is in the set the sync applied; `left-out`: it is not (the set
   * may be empty); `no-aggregate`: none was on chain in time; `unknown`: the sync did not step
   * over the window itself (a checkpoint past it, a reset, a restart from a later checkpoint);
   * `left-out-again`: left out, but the window before was restored already.
   */
  because: 'in-aggregate' | 'left-out' | 'left-out-again' | 'no-aggregate' | 'unknown';
};

/**
 * Settles the error feedback of every committed window before the one the sync holds, from
 * the aggregate that took the sync's model past that window:
 *
 * - the set lists the uid that committed: the update is in θ, the post-send buffer stands;
 * - the set leaves it out (or is empty): the update is not in θ, so what it sent is owed
 *   again and the shard's buffer goes back to what it was before sending;
 * - no aggregate came in time, or the sync does not know which one made its model: the
 *   post-send buffer stands (see the comment in the code);
 * - left out right after a window that was restored: the post-send buffer stands, so a miner
 *   left out window after window carries at most one window's sent part over.
 *
 * Call it after every `sync.advanceTo` and before training, so a window's buffer is settled
 * before the next window's update is built from it. Sends of the window held or later wait.
 *
 * @returns The sends it settled, by window ascending.
 * @example
 * await sync.advanceTo({ window, signal });
 * await settleErrorFeedback({ feedback, sync, logger });
 */
export async function settleErrorFeedback(parameters: SettleErrorFeedbackParameters): Promise<SettledSend[]> {
  const { feedback, sync, logger } = parameters;
  let lastRestored = parameters.lastRestoredWindow;
  const settled: SettledSend[] = [];
  for (const send of await feedback.pending()) {
    if (send.window >= sync.window) continue;
    const aggregate = sync.followed({ window: send.window });
    // Restore only on proof that the update is not in the model trained from next. Without an
    // aggregate the miner cannot tell what the validators made of its update: restoring what
    // is in θ after all would send it twice (the model moves twice along it, and the next
    // update, carrying two windows' sent mass, is louder than an honest one: clipped and
    // scored down); and through a validator outage, when no aggregate comes window after
    // window, restoring would pile every window's sent part into one stale, loud update.
    // Keeping the post-send buffer loses one window's sent part at most, as before.
    const because: SettledSend['because'] =
      aggregate === undefined
        ? 'unknown'
        : aggregate === null
          ? 'no-aggregate'
          : aggregate.uids.includes(send.uid)
            ? 'in-aggregate'
            : 'left-out';
    // Restoring twice in a row would carry two windows' sent parts into the next update, then
    // three: a miner left out window after window (below the aggregation cut, say) would send
    // louder and louder updates, which are clipped and scored down, and so left out again.
    const again = because === 'left-out' && lastRestored === send.window - 1;
    const restore = because === 'left-out' && !again;
    if (restore) lastRestored = send.window;
    const result = await feedback.settle({ shard: send.shard, window: send.window, restore });
    if (result === 'none') continue;
    settled.push({ ...send, result, because: again ? 'left-out-again' : because });
    const fields = { window: send.window, shard: send.shard, uid: send.uid, because };
    if (restore) logger.info('update left out of the aggregate: error feedback restored', fields);
    else if (again) logger.info('left out again: error feedback kept as sent', fields);
    else if (because !== 'in-aggregate')
      logger.info('aggregate unknown: error feedback kept as sent', fields);
  }
  return settled;
}
