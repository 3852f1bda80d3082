import type { TokenBatch } from '../data/buildBatches.js';
import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';
import { nextTokenLoss, nextTokenRowLosses } from './nextTokenLoss.js';
import { tf } from './tfjs.js';
import { toTokenTensor } from './toTokenTensor.js';

/** Parameters of {@link evaluateLoss}. */
export type EvaluateLossParameters = {
  model: Model;
  /** Rows of `pageTokens + 1` tokens (at most `contextLength + 1`). */
  batch: TokenBatch;
};

/**
 * Computes the mean next-token cross-entropy of a batch, in nats per token, without
 * touching the parameters.
 *
 * @returns The loss as a plain number.
 * @throws ModelError `invalid-batch` or `disposed`.
 * @example
 * const before = await evaluateLoss({ model, batch });
 * setParameters({ model, parameters: candidate });
 * const after = await evaluateLoss({ model, batch });
 */
export async function evaluateLoss(parameters: EvaluateLossParameters): Promise<number> {
  const [value] = await lossValues(parameters, nextTokenLoss);
  return value!;
}

/**
 * The next-token cross-entropy of each row of a batch, in nats per token, in row order,
 * without touching the parameters: the samples a per-page test reads. Their mean is
 * {@link evaluateLoss} of the batch.
 *
 * @returns One loss per row.
 * @throws ModelError `invalid-batch` or `disposed`.
 * @example
 * const perPage = await evaluateRowLosses({ model, batch });
 */
export async function evaluateRowLosses(parameters: EvaluateLossParameters): Promise<number[]> {
  return lossValues(parameters, nextTokenRowLosses);
}

/** Runs `loss` on the batch's token tensor without touching the parameters, and reads it back. */
async function lossValues(
  parameters: EvaluateLossParameters,
  loss: (model: Model, rows: tf.Tensor2D) => tf.Tensor,
): Promise<number[]> {
  const { model, batch } = parameters;
  assertLiveModel(model);
  const limits = { min: 2, max: model.config.contextLength + 1 };
  const values = tf.tidy(() => loss(model, toTokenTensor(model, batch, limits)));
  try {
    return Array.from(await values.data());
  } finally {
    values.dispose();
  }
}
