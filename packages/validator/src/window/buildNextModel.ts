import { aggregateUpdates, modelHash } from '@tessera/core';
import type { Hex32, Hyperparameters, Logger } from '@tessera/core';
import type { EvaluationResult } from '../evaluateUpdate.js';
import type { WindowUpdate } from '../findCopies.js';
import { selectAggregationSet } from '../selectAggregationSet.js';

/** Parameters of {@link buildNextModel}. */
export type BuildNextModelParameters = {
  hyperparameters: Hyperparameters;
  logger: Logger;
  /** θ_w. */
  theta: Float32Array;
  /** The window's scored verdicts. */
  verdicts: ReadonlyMap<number, EvaluationResult>;
  /** The decoded updates the workers left (`scoreWindow`). */
  updates: readonly WindowUpdate[];
  /** ρ by shard; the aggregate clips each member at the largest. */
  normBounds: readonly number[];
};

/** θ_{w+1} and how it was made, as the aggregate publishes it. */
export type NextModel = {
  /** The aggregation set: uids whose bytes were at hand, ascending. */
  uids: number[];
  parameters: Float32Array;
  hash: Hex32;
  normBound: number;
};

/**
 * Step 9: picks the aggregation set (the `aggregationSize` best positive scores, copies left
 * out: `selectAggregationSet`) and computes θ_{w+1} from θ_w with `aggregateUpdates` over the
 * same bytes the workers scored (a member whose bytes are gone is left out, with a warning).
 *
 * @example
 * const next = buildNextModel({ hyperparameters, logger, theta, verdicts, updates, normBounds });
 */
export function buildNextModel(parameters: BuildNextModelParameters): NextModel {
  const { hyperparameters: h, logger, theta, verdicts } = parameters;
  const scored = new Map(
    [...verdicts]
      .filter(([, result]) => result.status === 'scored' && result.copyOf === undefined)
      .map(([uid, result]) => [uid, result.score]),
  );
  const set = new Set(selectAggregationSet({ scores: scored, aggregationSize: h.aggregationSize }));
  const members = parameters.updates.filter((update) => set.has(update.uid));
  const normBound = Math.max(...parameters.normBounds);
  const next = aggregateUpdates({
    base: theta,
    updates: members,
    learningRate: h.outerLearningRate,
    normBound,
  });
  const uids = members.map((member) => member.uid);
  if (uids.length < set.size)
    logger.warn('aggregate members whose bytes are gone were left out', { set: [...set], uids });
  return { uids, parameters: next, hash: modelHash({ parameters: next }), normBound };
}
