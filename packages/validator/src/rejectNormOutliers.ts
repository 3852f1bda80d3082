import type { Logger } from '@tessera/core';
import type { EvaluationResult } from './evaluateUpdate.js';

/** Parameters of {@link rejectNormOutliers}. */
export type RejectNormOutliersParameters = {
  /** The window's verdicts by uid; outliers are replaced in place. */
  verdicts: Map<number, EvaluationResult>;
  /** Largest accepted ratio of an update's norm to the window's median norm. */
  maxNormRatio: number;
  logger?: Pick<Logger, 'info'> | undefined;
  log?: Pick<Logger, 'info'> | undefined;
};

/**
 * Rejects scored updates whose L2 norm exceeds `maxNormRatio` times the lower median norm of
 * the window's scored updates, as `norm-outlier`.
 *
 * An honest update multiplied by k points the same way and, scored alone, moves further
 * along a good direction, so it could outscore the work it copies and then dominate the
 * aggregate's mean. Honest updates of one window have norms within a small factor of each
 * other (same steps, learning rate and compression), so a large multiple of the median is
 * the signature of scaling. The lower median keeps a single scaled update from raising
 * the reference when only two updates scored; moving it takes a majority of the scored
 * updates.
 *
 * @returns The uids rejected.
 * @example
 * rejectNormOutliers({ verdicts, maxNormRatio: 3 });
 */
export function rejectNormOutliers(parameters: RejectNormOutliersParameters): number[] {
  const { verdicts, maxNormRatio } = parameters;
  const log = parameters.log ?? parameters.logger;
  const scored = [...verdicts].filter(
    ([, v]) => v.status === 'scored' && typeof v.norm === 'number' && Number.isFinite(v.norm),
  );
  if (scored.length === 0) return [];
  const norms = scored.map(([, v]) => v.norm!).sort((a, b) => a - b);
  const median = norms[Math.floor((norms.length - 1) / 2)]!;
  const rejected: number[] = [];
  for (const [uid, verdict] of scored) {
    if (verdict.norm! > maxNormRatio * median) {
      const { losses, norm } = verdict;
      verdicts.set(uid, {
        status: 'rejected',
        reason: 'norm-outlier',
        score: 0,
        ...(losses ? { losses } : {}),
        ...(norm === undefined ? {} : { norm }),
      });
      rejected.push(uid);
      log?.info('update rejected as a norm outlier', { uid, norm: verdict.norm, median });
    }
  }
  return rejected;
}
