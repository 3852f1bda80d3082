import type { TokenBatch } from '../data/buildBatches.js';
import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';
import { nextTokenLoss } from './nextTokenLoss.js';
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
  const { model, batch } = parameters;
  assertLiveModel(model);
  const limits = { min: 2, max: model.config.contextLength + 1 };
  const loss = tf.tidy(() => nextTokenLoss(model, toTokenTensor(model, batch, limits)));
  try {
    const [value] = await loss.data();
    return value as number;
  } finally {
    loss.dispose();
  }
}
