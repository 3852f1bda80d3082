import { measureImprovements } from '../evaluateUpdate.js';
import type { ReferenceUpdate } from '../trainReferenceUpdate.js';
import type { WindowServices, WindowScoring } from './types.js';

/** Parameters of {@link measureReferenceGains}. */
export type MeasureReferenceGainsParameters = Pick<
  WindowServices,
  'corpus' | 'hyperparameters' | 'logger'
> & {
  scoring: WindowScoring;
  reference: ReferenceUpdate;
  /** By shard, the bound the reference is applied at (as updates are scored). */
  scoreBounds: readonly number[];
  /** The window's reference and unseen pages. */
  pages: { reference: readonly number[]; unseen: readonly number[] };
};

/** What one update did to the loss: before minus after, on its own pages and on the unseen ones. */
export type Gains = { own: number; unseen: number };

/**
 * Step 5 (while the workers evaluate): what the reference update does, shard by shard, to
 * its own pages and to the unseen ones: the unit the window's scores are measured in
 * (`windowScore`). A reference that diverges gains 0.
 *
 * @returns Gains by shard, in shard order.
 * @example
 * const referenceGains = await measureReferenceGains({ ...services, scoring, reference, scoreBounds, pages: work.pages });
 */
export async function measureReferenceGains(parameters: MeasureReferenceGainsParameters): Promise<Gains[]> {
  const { scoring, corpus, hyperparameters, reference, scoreBounds, pages } = parameters;
  const gain = (pair: { before: number; after: number }) => pair.before - pair.after;
  const referenceGains: Gains[] = [];
  for (const part of reference.shards) {
    const measured = await measureImprovements({
      ...scoring,
      corpus,
      hyperparameters,
      update: part,
      normBound: scoreBounds[part.shard]!,
      pages: { own: pages.reference, unseen: pages.unseen },
    });
    referenceGains.push(
      measured
        ? { own: gain(measured.losses.own), unseen: gain(measured.losses.unseen) }
        : { own: 0, unseen: 0 },
    );
  }
  parameters.logger.info('reference update measured', { referenceGains });
  return referenceGains;
}
