import type { Hex32 } from '@tessera/core';
import type { EvaluationPlan } from '../planEvaluations.js';
import { fetchBudget } from '../fetchBudget.js';
import { planEvaluations } from '../planEvaluations.js';
import type { WindowWork } from './readWindowWork.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link planWindowEvaluations}. */
export type PlanWindowEvaluationsParameters = Pick<
  WindowServices,
  'chain' | 'queue' | 'blockTimer' | 'logger'
> & {
  window: number;
  work: WindowWork;
  /** By shard, the bound updates are scored at. */
  scoreBounds: readonly number[];
  /** ρ by shard, for the log. */
  normBounds: readonly number[];
  /** Where θ_w lies for the workers, and its hash. */
  theta: { uri: string; modelHash: Hex32 };
  /** The block the loop stops waiting at (`publishCutoff`). */
  cutoffBlock: number;
  /** Longest one download may take, in milliseconds. */
  fetchTimeoutMs: number;
};

/**
 * Step 4: sets duplicates aside and enqueues one BullMQ evaluation job per remaining
 * commitment (`planEvaluations`; an id already queued is left alone, so a restart never
 * enqueues twice), each download given half the time left before the publish cutoff
 * (`fetchBudget`), at most `fetchTimeoutMs`.
 *
 * @returns The jobs enqueued and the duplicates.
 * @example
 * const { jobs, duplicates } = await planWindowEvaluations({ ...services, window: w, work, scoreBounds, normBounds, theta, cutoffBlock, fetchTimeoutMs });
 */
export async function planWindowEvaluations(
  parameters: PlanWindowEvaluationsParameters,
): Promise<EvaluationPlan> {
  const { chain, queue, blockTimer, logger, window, work } = parameters;
  const head = await chain.blockNumber();
  blockTimer.observe(head);
  const budgetMs = fetchBudget({
    head,
    cutoffBlock: parameters.cutoffBlock,
    msPerBlock: blockTimer.msPerBlock(),
    maxMs: parameters.fetchTimeoutMs,
  });
  const plan = planEvaluations({
    window,
    commitments: work.commitments,
    assignments: work.assignments,
    unseenPages: work.pages.unseen,
    normBounds: parameters.scoreBounds,
    theta: parameters.theta,
    fetchTimeoutMs: budgetMs,
  });
  await queue.add({ jobs: plan.jobs });
  logger.info('evaluating', {
    commitments: work.commitments.length,
    jobs: plan.jobs.length,
    duplicates: plan.duplicates.length,
    normBounds: parameters.normBounds,
    scoreBounds: parameters.scoreBounds,
    fetchTimeoutMs: budgetMs,
  });
  return plan;
}
