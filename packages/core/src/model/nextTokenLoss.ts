import type { Model } from './createModel.js';
import { forwardLogits, oneHotFloat } from './computeLogits.js';
import { tf } from './tfjs.js';

/**
 * Mean next-token cross-entropy (in nats) of rows `[B, T + 1]`: position `t` predicts token
 * `t + 1`. Targets are picked with a one-hot product rather than a gather, so the gradient
 * runs on every backend. Call inside `tf.tidy`.
 *
 * @internal
 */
export function nextTokenLoss(model: Model, rows: tf.Tensor2D): tf.Scalar {
  const [B, length] = rows.shape;
  const T = length - 1;
  const V = model.config.vocabSize;
  const inputs = tf.slice(rows, [0, 0], [B, T]);
  const targets = tf.reshape(tf.slice(rows, [0, 1], [B, T]), [B * T]) as tf.Tensor1D;
  const logProbabilities = tf.logSoftmax(forwardLogits(model, inputs));
  const picked = tf.sum(tf.mul(logProbabilities, oneHotFloat(targets, V)));
  return tf.div(tf.neg(picked), B * T);
}
