import type { EvaluationQueue } from '../createEvaluationQueue.js';
import type { EvaluationResult, RejectionReason } from '../evaluateUpdate.js';
import { evaluationJobId } from '../evaluationJobId.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link collectVerdicts}. */
export type CollectVerdictsParameters = Pick<WindowServices, 'blockTimer' | 'logger' | 'signal'> & {
  chain: Pick<WindowServices['chain'], 'blockNumber'>;
  queue: Pick<EvaluationQueue, 'state' | 'discard' | 'onFinished'>;
  window: number;
  /** The uids whose evaluation was enqueued. */
  jobs: readonly { uid: number }[];
  /** Commitments set aside as duplicates: `rejected:duplicate` without a job. */
  duplicates: readonly { uid: number }[];
  /** The block at which the wait ends (`publishCutoff`). */
  cutoffBlock: number;
  /**
   * Milliseconds between wake-ups when no event comes; the head is read every 4 of them and
   * every pending job's state every 20 (a safety net for events missed across a reconnect).
   * @default 250
   */
  pollMs?: number | undefined;
};

/**
 * Step 7: waits for the window's verdicts until the publish cutoff. A verdict is taken when
 * BullMQ reports the job finished (`queue.onFinished`: one state read for that job), after
 * one look at every job when the wait starts (jobs done before it), and at a low-frequency
 * look at every job still pending, so a missed event delays a verdict, never loses it. Jobs
 * not done at the cutoff count as `missing:late` and are discarded if still waiting; a failed
 * or vanished job is `evaluation-failed`.
 *
 * @returns The verdict of every job and duplicate, by uid.
 * @example
 * const verdicts = await collectVerdicts({ ...services, window: w, jobs, duplicates, cutoffBlock });
 */
export async function collectVerdicts(
  parameters: CollectVerdictsParameters,
): Promise<Map<number, EvaluationResult>> {
  const { chain, queue, blockTimer, logger, signal, window, cutoffBlock } = parameters;
  const pollMs = parameters.pollMs ?? 250;
  const verdicts = new Map<number, EvaluationResult>();
  const reject = (reason: RejectionReason): EvaluationResult => ({ status: 'rejected', reason, score: 0 });
  for (const duplicate of parameters.duplicates) verdicts.set(duplicate.uid, reject('duplicate'));
  const pending = new Map(parameters.jobs.map((job) => [evaluationJobId({ window, uid: job.uid }), job.uid]));
  const reported: number[] = [];
  let wake: (() => void) | undefined;

  /** Resolves after `pollMs`, at the next event, or when the signal aborts. */
  const pause = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, pollMs);
      signal.addEventListener('abort', done, { once: true });
      wake = done;
    });
  const look = async (uids: readonly number[]) => {
    for (const uid of uids) {
      const id = evaluationJobId({ window, uid });
      if (!pending.has(id)) continue;
      const state = await queue.state({ window, uid });
      if (state.state === 'pending') continue;
      pending.delete(id);
      if (state.state === 'completed') verdicts.set(uid, state.result);
      else {
        logger.error('evaluation failed', {
          uid,
          error: state.state === 'failed' ? state.error : 'job vanished',
        });
        verdicts.set(uid, reject('evaluation-failed'));
      }
    }
  };
  // Subscribe before the first look: a job finishing in between is then reported, not lost.
  const unsubscribe = queue.onFinished((jobId) => {
    const uid = pending.get(jobId);
    if (uid === undefined) return;
    reported.push(uid);
    wake?.();
  });
  try {
    await look([...pending.values()]);
    let lastHead = 0;
    let lastLook = Date.now();
    while (pending.size > 0) {
      if (reported.length === 0) await pause();
      signal.throwIfAborted();
      await look(reported.splice(0));
      if (Date.now() - lastLook >= 20 * pollMs) {
        lastLook = Date.now();
        await look([...pending.values()]);
      }
      if (pending.size === 0) break;
      if (Date.now() - lastHead >= 4 * pollMs) {
        lastHead = Date.now();
        const head = await chain.blockNumber();
        blockTimer.observe(head);
        if (head >= cutoffBlock) break;
      }
    }
  } finally {
    unsubscribe();
  }
  for (const uid of pending.values()) {
    logger.warn('evaluation not done in time; counted as missing', { uid });
    verdicts.set(uid, reject('missing:late'));
    await queue.discard({ window, uid });
  }
  return verdicts;
}
