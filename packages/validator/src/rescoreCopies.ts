import type { Logger, SparseUpdate } from '@tessera/core';
import type { EvaluationLosses, EvaluationResult } from './evaluateUpdate.js';
import { findCopies } from './findCopies.js';
import type { WindowUpdate } from './findCopies.js';

/** Parameters of {@link rescoreCopies}. */
export type RescoreCopiesParameters = {
  /** The window's verdicts by uid (worker scores, before `relativeScore`); copies are replaced in place. */
  verdicts: Map<number, EvaluationResult>;
  /** The window's decoded updates (`loadWindowUpdates`). */
  updates: readonly WindowUpdate[];
  copyCosine: number;
  /**
   * Losses of a residual on the uid's own pages and the window's unseen pages, measured as
   * the workers score; undefined when it diverges.
   */
  measure: (uid: number, residual: SparseUpdate) => Promise<EvaluationLosses | undefined>;
  logger?: Pick<Logger, 'info'> | undefined;
};

/**
 * Applies the copy rule to a window's verdicts: each scored update that `findCopies` names a
 * copy is scored on its residual (the update with the copied directions taken out): for the
 * own pages and for the unseen pages, whichever of the update's and the residual's losses
 * gain less, and `score = max(0, unseen gain)`. It is marked with `copyOf`, which keeps it
 * out of the aggregate. Verdicts other than `scored` are left alone.
 *
 * @returns The uids marked as copies.
 * @example
 * await rescoreCopies({ verdicts, updates, copyCosine: h.copyCosine, measure });
 */
export async function rescoreCopies(parameters: RescoreCopiesParameters): Promise<number[]> {
  const { verdicts, updates, copyCosine, measure } = parameters;
  const marked: number[] = [];
  for (const copy of findCopies({ updates, copyCosine })) {
    const verdict = verdicts.get(copy.uid);
    if (verdict?.status !== 'scored') continue;
    const residual = await measure(copy.uid, copy.residual);
    const gain = (pair: { before: number; after: number }) => pair.before - pair.after;
    const least = (a: { before: number; after: number }, b: { before: number; after: number } | undefined) =>
      b === undefined || gain(a) <= gain(b) ? a : b;
    const losses: EvaluationLosses = verdict.losses
      ? {
          own: least(verdict.losses.own, residual?.own),
          unseen: least(verdict.losses.unseen, residual?.unseen),
        }
      : (residual ?? { own: { before: 0, after: 0 }, unseen: { before: 0, after: 0 } });
    const own = residual === undefined ? 0 : Math.max(0, gain(losses.unseen));
    const score = Math.min(verdict.score, own);
    verdicts.set(copy.uid, { ...verdict, score, losses, copyOf: copy.copyOf });
    marked.push(copy.uid);
    parameters.logger?.info('update copies earlier commitments; scored on its own part', {
      uid: copy.uid,
      copyOf: copy.copyOf,
      cosine: copy.cosine,
      score: verdict.score,
      ownPart: own,
    });
  }
  return marked;
}
