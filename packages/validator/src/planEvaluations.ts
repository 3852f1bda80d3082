import type { Assignment, Commitment } from '@tessera/core';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { ValidatorError } from './errors/validator.js';
import { markDuplicates } from './markDuplicates.js';

/** Parameters of {@link planEvaluations}. */
export type PlanEvaluationsParameters = {
  window: number;
  /** Every commitment for the window. */
  commitments: readonly Commitment[];
  /** Every committing uid's assignment (`windowAssignments`). */
  assignments: ReadonlyMap<number, Assignment>;
  /** The window's unseen pages (`drawEvaluationPages`). */
  unseenPages: readonly number[];
  /** By shard, the norm bound its updates are scored at (`scoreNormFraction · ρ`). */
  normBounds: readonly number[];
  /** Where θ_w lies as a checkpoint, and its hash. */
  theta: { uri: string; modelHash: `0x${string}` };
  /** Time budget of each download, in milliseconds (`fetchBudget`). @default none: the workers' own limit */
  fetchTimeoutMs?: number | undefined;
};

/** One job per commitment to evaluate, and the duplicates that need none. */
export type EvaluationPlan = {
  jobs: EvaluationJobData[];
  duplicates: Commitment[];
};

/**
 * Turns a window's commitments into evaluation jobs: duplicates (a digest some earlier
 * commitment carries) are set aside, and each remaining commitment gets the miner's
 * assignment, the window's unseen pages, its shard's norm bound and the download budget.
 *
 * @returns The jobs, ascending by uid, and the duplicates.
 * @example
 * const { jobs, duplicates } = planEvaluations({ window, commitments, assignments, unseenPages, normBounds, theta });
 */
export function planEvaluations(parameters: PlanEvaluationsParameters): EvaluationPlan {
  const { window, theta } = parameters;
  const { unique, duplicates } = markDuplicates({ commitments: parameters.commitments });
  const jobs = unique.map((commitment): EvaluationJobData => {
    const assignment = parameters.assignments.get(commitment.uid);
    const normBound = assignment && parameters.normBounds[assignment.shard];
    if (assignment === undefined || normBound === undefined) {
      throw new ValidatorError('invalid-parameter', 'A committing uid has no assignment or norm bound.', {
        details: `uid ${commitment.uid}`,
      });
    }
    const { pages, shard } = assignment;
    return {
      window,
      uid: commitment.uid,
      digest: commitment.digest,
      uri: commitment.uri,
      modelHash: commitment.modelHash,
      shard,
      pages,
      unseenPages: [...parameters.unseenPages],
      normBound,
      theta: { ...theta },
      ...(parameters.fetchTimeoutMs === undefined ? {} : { fetchTimeoutMs: parameters.fetchTimeoutMs }),
    };
  });
  return { jobs, duplicates };
}
