import type { TokenBatch } from '../data/buildBatches.js';
import { ModelError } from '../errors/model.js';
import type { AdamW } from './createAdamW.js';
import { createAdamW } from './createAdamW.js';
import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';
import { nextTokenLoss } from './nextTokenLoss.js';
import { registerGradients, tf } from './tfjs.js';
import { toTokenTensor } from './toTokenTensor.js';

/** Parameters of {@link trainInnerSteps}. */
export type TrainInnerStepsParameters = {
  model: Model;
  /** Training batches; step `s` trains on `batches[s % batches.length]`. */
  batches: readonly TokenBatch[];
  /** Number of optimizer steps (H). */
  steps: number;
  /** η, or a schedule giving η for step `s` (from 0). */
  learningRate: number | ((step: number) => number);
  /** Decoupled weight decay λ (matrices and embeddings only). @default 0.1 */
  weightDecay?: number | undefined;
  /**
   * Optimizer to continue with, keeping its moments across calls. Without one, a fresh
   * AdamW is made for this call and freed at its end.
   */
  optimizer?: AdamW | undefined;
  /** AdamW β1 for a fresh optimizer. @default 0.9 */
  beta1?: number | undefined;
  /** AdamW β2 for a fresh optimizer. @default 0.95 */
  beta2?: number | undefined;
  /** Clip gradients to this global L2 norm; 0 turns clipping off. @default 1 */
  maxGradNorm?: number | undefined;
  /** Called after every step with its loss (measured before the update). */
  onStep?: ((progress: { step: number; loss: number }) => void) | undefined;
  /** Aborts between steps. */
  signal?: AbortSignal | undefined;
};

/** What {@link trainInnerSteps} did. */
export type TrainInnerStepsResult = {
  /** The loss of each step, measured on its batch before its update. */
  losses: number[];
};

/**
 * Trains the model in place for `steps` AdamW steps on next-token cross-entropy: the inner
 * loop of one window, before the miner takes `Δ = θ_w − θ_local`.
 *
 * Gradients are clipped to a global norm, then AdamW applies decoupled weight decay to the
 * parameters whose spec says `decay`. The loop awaits each step's loss, so the event loop
 * keeps running between steps; no tensor outlives a step.
 *
 * @returns The per-step losses.
 * @throws ModelError `invalid-parameter` for bad steps, learning rate or batches;
 *   `invalid-batch` for a malformed batch; `non-finite` when a loss is NaN or infinite;
 *   the signal's reason when aborted.
 * @example
 * const { losses } = await trainInnerSteps({ model, batches, steps: 30, learningRate: 3e-3, weightDecay: 0.1 });
 */
export async function trainInnerSteps(parameters: TrainInnerStepsParameters): Promise<TrainInnerStepsResult> {
  const { model, batches, steps, signal } = parameters;
  assertLiveModel(model);
  if (!Number.isSafeInteger(steps) || steps < 0) {
    throw new ModelError('invalid-parameter', 'steps must be a non-negative integer.', {
      details: `steps: ${steps}`,
    });
  }
  if (steps > 0 && batches.length === 0) {
    throw new ModelError('invalid-parameter', 'Training needs at least one batch.');
  }
  const maxGradNorm = parameters.maxGradNorm ?? 1;
  if (!(Number.isFinite(maxGradNorm) && maxGradNorm >= 0)) {
    throw new ModelError('invalid-parameter', 'maxGradNorm must be a finite non-negative number.', {
      details: `maxGradNorm: ${maxGradNorm}`,
    });
  }
  const schedule = parameters.learningRate;
  const rateAt = typeof schedule === 'function' ? schedule : () => schedule;

  await registerGradients();
  const owned = parameters.optimizer === undefined;
  const optimizer =
    parameters.optimizer ??
    createAdamW({
      variables: model.variables,
      decay: model.layout.map((spec) => spec.decay),
      weightDecay: parameters.weightDecay,
      beta1: parameters.beta1,
      beta2: parameters.beta2,
    });
  if (!owned && parameters.weightDecay !== undefined) optimizer.weightDecay = parameters.weightDecay;

  const limits = { min: 2, max: model.config.contextLength + 1 };
  const variables = model.variables as tf.Variable[];
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      signal?.throwIfAborted();
      assertLiveModel(model);
      const learningRate = rateAt(step);
      const batch = batches[step % batches.length] as TokenBatch;
      const loss = tf.tidy(() => {
        const rows = toTokenTensor(model, batch, limits);
        const { value, grads } = tf.variableGrads(() => nextTokenLoss(model, rows), variables);
        let gradients = variables.map((variable) => grads[variable.name] as tf.Tensor);
        if (maxGradNorm > 0) {
          const norm = tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g)))));
          const factor = tf.minimum(1, tf.div(maxGradNorm, tf.add(norm, 1e-6)));
          gradients = gradients.map((g) => tf.mul(g, factor));
        }
        optimizer.step({ gradients, learningRate });
        return value;
      });
      const [value] = await loss.data();
      loss.dispose();
      if (!Number.isFinite(value)) {
        throw new ModelError('non-finite', 'Training produced a non-finite loss.', {
          details: `step ${step}: loss ${value}`,
          hint: 'Lower the learning rate or check the parameters for NaN.',
        });
      }
      losses.push(value as number);
      parameters.onStep?.({ step, loss: value as number });
    }
  } finally {
    if (owned) optimizer.dispose();
  }
  return { losses };
}
