import { assignWork } from '@tessera/core';
import type { Assignment, Hyperparameters } from '@tessera/core';

/** Parameters of {@link windowAssignments}. */
export type WindowAssignmentsParameters = {
  window: number;
  /** Every miner's uid of the metagraph, and any uid that committed. */
  uids: Iterable<number>;
  hyperparameters: Pick<Hyperparameters, 'runSeed' | 'pagesPerWindow' | 'shards'>;
  /** Pages in the training split (`corpus.trainPageCount`). */
  trainPageCount: number;
  /** Hash of the window's first block: the assignments' randomness. */
  startBlockHash: `0x${string}`;
};

/**
 * Every uid's assignment for a window (`assignWork`), recomputed from the window's first
 * block hash as each miner computed its own.
 *
 * @returns Assignments by uid.
 * @example
 * const assignments = windowAssignments({ window, uids, hyperparameters, trainPageCount, startBlockHash });
 */
export function windowAssignments(parameters: WindowAssignmentsParameters): Map<number, Assignment> {
  const { window, hyperparameters: h } = parameters;
  const out = new Map<number, Assignment>();
  for (const uid of parameters.uids) {
    if (out.has(uid)) continue;
    out.set(
      uid,
      assignWork({
        runSeed: h.runSeed,
        window,
        uid,
        blockHash: parameters.startBlockHash,
        trainPageCount: parameters.trainPageCount,
        pagesPerWindow: h.pagesPerWindow,
        shards: h.shards,
      }),
    );
  }
  return out;
}
