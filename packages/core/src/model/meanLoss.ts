import type { TokenBatch } from '../data/buildBatches.js';
import type { Model } from './createModel.js';
import { evaluateLoss } from './evaluateLoss.js';

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
