import type { Commitment } from '../types.js';
import type { CommitmentEntry } from './types.js';

/** Parameters of {@link selectWindowCommitments}. */
export type SelectWindowCommitmentsParameters = {
  entries: CommitmentEntry[];
  window: number;
  /** `deadline(window)`: only commitments included in a block before it count. */
  deadline: number;
};

/**
 * Keeps the update commitments for `window` that a block before the deadline included, from
 * registered hotkeys, ascending by uid.
 *
 * @example
 * const list = selectWindowCommitments({ entries, window: 12, deadline: 392 });
 */
export function selectWindowCommitments(parameters: SelectWindowCommitmentsParameters): Commitment[] {
  const out: Commitment[] = [];
  for (const entry of parameters.entries) {
    if (entry.uid === undefined || entry.block >= parameters.deadline) continue;
    for (const record of entry.records) {
      if (record.kind !== 'update' || record.window !== parameters.window) continue;
      out.push({
        uid: entry.uid,
        hotkey: entry.hotkey,
        window: record.window,
        digest: record.digest,
        uri: record.uri,
        modelHash: record.modelHash,
        block: entry.block,
      });
    }
  }
  return out.sort((a, b) => a.uid - b.uid);
}
