import { assignWork } from '@tessera/core';
import type { Commitment, Hyperparameters } from '@tessera/core';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { markDuplicates } from './markDuplicates.js';

/** Parameters of {@link planEvaluations}. */
export type PlanEvaluationsParameters = {
  window: number;
  /** Every commitment for the window. */
  commitments: readonly Commitment[];
  hyperparameters: Hyperparameters;
  /** Pages in the training split (`corpus.trainPageCount`). */
  trainPageCount: number;
  /** Hash of the window's first block: the assignments' randomness. */
  startBlockHash: `0x${string}`;
  /** The window's evaluation seed (`deriveEvalSeed`). */
  evalSeed: `0x${string}`;
  /** Where θ_w lies as a checkpoint, and its hash. */
  theta: { uri: string; modelHash: `0x${string}` };
};

/** One job per commitment to evaluate, and the duplicates that need none. */
export type EvaluationPlan = {
  jobs: EvaluationJobData[];
  duplicates: Commitment[];
};

/**
 * Turns a window's commitments into evaluation jobs: duplicates (a digest some earlier
 * commitment carries) are set aside, and each remaining commitment gets the miner's
 * assignment, recomputed from the window's first block hash.
 *
 * @returns The jobs, ascending by uid, and the duplicates.
 * @example
 * const { jobs, duplicates } = planEvaluations({ window, commitments, hyperparameters, trainPageCount, startBlockHash, evalSeed, theta });
 */
export function planEvaluations(parameters: PlanEvaluationsParameters): EvaluationPlan {
  const { window, hyperparameters: h, evalSeed, theta } = parameters;
  const { unique, duplicates } = markDuplicates({ commitments: parameters.commitments });
  const jobs = unique.map((commitment): EvaluationJobData => {
    const { pages, shard } = assignWork({
      runSeed: h.runSeed as `0x${string}`,
      window,
      uid: commitment.uid,
      blockHash: parameters.startBlockHash,
      trainPageCount: parameters.trainPageCount,
      pagesPerWindow: h.pagesPerWindow,
      shards: h.shards,
    });
    return {
      window,
      uid: commitment.uid,
      digest: commitment.digest,
      uri: commitment.uri,
      modelHash: commitment.modelHash,
      shard,
      pages,
      evalSeed,
      theta: { ...theta },
    };
  });
  return { jobs, duplicates };
}
