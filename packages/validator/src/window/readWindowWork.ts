import { startBlockOfWindow } from '@tessera/core';
import type { Assignment, Commitment } from '@tessera/core';
import { deriveEvalSeed } from '../deriveEvalSeed.js';
import { drawEvaluationPages } from '../drawEvaluationPages.js';
import type { EvaluationPages } from '../drawEvaluationPages.js';
import { windowAssignments } from '../windowAssignments.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link readWindowWork}. */
export type ReadWindowWorkParameters = Pick<
  WindowServices,
  'chain' | 'timing' | 'corpus' | 'hyperparameters'
> & {
  window: number;
  deadline: number;
  /** The metagraph's miners' uids. */
  miners: readonly number[];
  /** The validator's 32 secret bytes behind the evaluation pages. */
  secret: Uint8Array;
};

/** What window w asks of its miners and what the validator checks them on. */
export type WindowWork = {
  commitments: Commitment[];
  /** Every miner's and committer's assignment, from the block hash of the window's start. */
  assignments: Map<number, Assignment>;
  /** The unseen and reference pages, drawn from the window's evaluation seed. */
  pages: EvaluationPages;
};

/**
 * Step 2: reads `commitments(w)`, works out every miner's assignment (`windowAssignments`) and
 * draws the window's unseen and reference pages from its evaluation seed (the secret and the
 * deadline block's hash), away from every assigned page.
 *
 * @example
 * const work = await readWindowWork({ ...services, window: w, deadline, miners: miners.map((m) => m.uid), secret });
 */
export async function readWindowWork(parameters: ReadWindowWorkParameters): Promise<WindowWork> {
  const { chain, timing, corpus, hyperparameters: h, window, deadline } = parameters;
  const commitments = await chain.commitments({ window });
  const startBlockHash = await chain.blockHash(startBlockOfWindow({ window, ...timing }));
  const evalSeed = deriveEvalSeed({
    secret: parameters.secret,
    window,
    deadlineBlockHash: await chain.blockHash(deadline),
  });
  const assignments = windowAssignments({
    window,
    uids: [...parameters.miners, ...commitments.map((c) => c.uid)],
    hyperparameters: h,
    trainPageCount: corpus.trainPageCount,
    startBlockHash,
  });
  const pages = drawEvaluationPages({
    evalSeed,
    trainPageCount: corpus.trainPageCount,
    unseenCount: h.evalPages,
    referenceCount: h.pagesPerWindow,
    assignedPages: [...assignments.values()].flatMap((a) => a.pages),
  });
  return { commitments, assignments, pages };
}
