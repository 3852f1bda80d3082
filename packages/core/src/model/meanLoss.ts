import type { TokenBatch } from '../data/buildBatches.js';
import type { Model } from './createModel.js';
import { evaluateLoss, evaluateRowLosses } from './evaluateLoss.js';

/** Parameters of {@link meanLoss}. */
export type MeanLossParameters = {
  model: Model;
  /** Batches of equal row length. */
  batches: readonly TokenBatch[];
};

/**
 * The mean next-token loss of a model over several batches, in nats per token, each batch
 * weighted by its rows.
 *
 * @example
 * setParameters({ model, parameters: theta });
 * const loss = await meanLoss({ model, batches: buildBatches({ pages, batchSize: 8 }) });
 */
export async function meanLoss(parameters: MeanLossParameters): Promise<number> {
  const { model, batches } = parameters;
  let sum = 0;
  let rows = 0;
  for (const batch of batches) {
    sum += (await evaluateLoss({ model, batch })) * batch.batchSize;
    rows += batch.batchSize;
  }
  return sum / rows;
}

/**
 * The next-token loss of every row of several batches, in nats per token, in order (batch by
 * batch, row by row): one per page when the batches are `buildBatches` of pages.
 *
 * @example
 * const perPage = await rowLosses({ model, batches: buildBatches({ pages, batchSize: 8 }) });
 */
export async function rowLosses(parameters: MeanLossParameters): Promise<number[]> {
  const losses: number[] = [];
  for (const batch of parameters.batches)
    losses.push(...(await evaluateRowLosses({ model: parameters.model, batch })));
  return losses;
}
