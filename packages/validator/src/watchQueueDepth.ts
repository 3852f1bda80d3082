import { sleep } from '@tessera/core';
import type { Logger } from '@tessera/core';
import type { EvaluationQueue } from './createEvaluationQueue.js';
import { ValidatorError } from './errors/validator.js';
import type { ValidatorMetrics } from './window/validatorMetrics.js';

/** The job states `evaluation_jobs` reports, in BullMQ's names. */
export const reportedJobStates = ['waiting', 'waiting-children', 'active', 'delayed', 'failed'] as const;

/** Parameters of {@link watchQueueDepth}. */
export type WatchQueueDepthParameters = {
  queue: EvaluationQueue;
  /** `evaluation_jobs` of the validator's metrics. */
  gauge: ValidatorMetrics['evaluationJobs'];
  logger: Logger;
  /** Stops the reads. */
  signal: AbortSignal;
  /** Seconds between reads (one Redis round trip each). At least 1. @default 10 */
  intervalSeconds?: number | undefined;
};

/**
 * Counts the evaluation queue's jobs by state every few seconds into `evaluation_jobs` until
 * `signal` aborts, so a queue backing up (workers too few, too slow, or gone) shows before
 * the window's cutoff turns its jobs into `missing:late`. A failed read is logged at debug
 * and the gauge keeps its last values.
 *
 * @returns Resolves once the signal aborted; it never rejects.
 * @throws ValidatorError `invalid-parameter` for an interval below 1 second (before any read).
 * @example
 * const watching = watchQueueDepth({ queue, gauge: metrics.evaluationJobs, logger, signal });
 */
export function watchQueueDepth(parameters: WatchQueueDepthParameters): Promise<void> {
  const { queue, gauge, logger, signal } = parameters;
  const intervalSeconds = parameters.intervalSeconds ?? 10;
  if (!(Number.isFinite(intervalSeconds) && intervalSeconds >= 1)) {
    throw new ValidatorError('invalid-parameter', 'The queue depth interval must be at least 1 second.', {
      details: String(intervalSeconds),
    });
  }
  return (async () => {
    while (!signal.aborted) {
      try {
        const counts = await queue.queue.getJobCounts(...reportedJobStates);
        // A paused queue's jobs wait all the same.
        const waiting = (counts['waiting'] ?? 0) + (counts['paused'] ?? 0);
        for (const state of reportedJobStates)
          gauge.set({ state }, state === 'waiting' ? waiting : (counts[state] ?? 0));
      } catch (error) {
        if (signal.aborted) break;
        logger.debug('counting the evaluation queue’s jobs failed', { error });
      }
      await sleep(intervalSeconds * 1000, signal).catch(() => undefined);
    }
  })();
}
