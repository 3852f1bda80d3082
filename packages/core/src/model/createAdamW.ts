import { ModelError } from '../errors/model.js';
import { tf } from './tfjs.js';

/** Parameters of {@link createAdamW}. */
export type CreateAdamWParameters = {
  /** The variables it updates, in a fixed order; gradients come in the same order. */
  variables: readonly tf.Variable[];
  /** Which variables take weight decay (same length as `variables`). @default all */
  decay?: readonly boolean[] | undefined;
  /** Decoupled weight decay coefficient λ. @default 0.1 */
  weightDecay?: number | undefined;
  /** @default 0.9 */
  beta1?: number | undefined;
  /** @default 0.95 */
  beta2?: number | undefined;
  /** @default 1e-8 */
  epsilon?: number | undefined;
};

/** AdamW with its moment estimates held per variable on the backend. */
export type AdamW = {
  /** Steps taken so far (bias correction uses it). */
  readonly stepCount: number;
  /** The current decoupled weight decay coefficient; change it between steps if needed. */
  weightDecay: number;
  /**
   * Applies one update with gradients in the order of `variables`. Does not dispose them.
   * @param learningRate η for this step.
   */
  step(parameters: { gradients: readonly tf.Tensor[]; learningRate: number }): void;
  /** Zeroes the moments and the step count (a fresh optimizer on the same variables). */
  reset(): void;
  /** Frees the moment tensors. */
  dispose(): void;
};

/**
 * Creates an AdamW optimizer (Loshchilov and Hutter) over a fixed list of variables.
 *
 * One step with gradient `g` at step `t` (from 1):
 *
 * ```
 * θ ← θ · (1 − η·λ)                 (decoupled weight decay, only where `decay` is true)
 * m ← β1·m + (1 − β1)·g
 * v ← β2·v + (1 − β2)·g²
 * θ ← θ − η · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * ```
 *
 * @returns The optimizer; call `dispose()` when done.
 * @throws ModelError `invalid-parameter` for betas outside [0, 1), a negative ε or λ, or a
 *   `decay` list of the wrong length.
 * @example
 * const optimizer = createAdamW({ variables: model.variables, decay: model.layout.map((s) => s.decay) });
 * optimizer.step({ gradients, learningRate: 1e-3 });
 */
export function createAdamW(parameters: CreateAdamWParameters): AdamW {
  const { variables } = parameters;
  const beta1 = parameters.beta1 ?? 0.9;
  const beta2 = parameters.beta2 ?? 0.95;
  const epsilon = parameters.epsilon ?? 1e-8;
  const decay = parameters.decay ?? variables.map(() => true);
  checkRange('beta1', beta1, 0, 1);
  checkRange('beta2', beta2, 0, 1);
  checkRange('epsilon', epsilon, 0, Infinity);
  checkWeightDecay(parameters.weightDecay ?? 0.1);
  if (decay.length !== variables.length) {
    throw new ModelError('invalid-parameter', 'decay must have one entry per variable.', {
      details: `${decay.length} entries for ${variables.length} variables`,
    });
  }

  const zeros = () => variables.map((variable) => tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
  let m = zeros();
  let v = zeros();
  let stepCount = 0;
  let weightDecay = parameters.weightDecay ?? 0.1;
  let disposed = false;

  const free = () => {
    for (const tensor of [...m, ...v]) tensor.dispose();
  };

  return {
    get stepCount() {
      return stepCount;
    },
    get weightDecay() {
      return weightDecay;
    },
    set weightDecay(value: number) {
      checkWeightDecay(value);
      weightDecay = value;
    },
    step({ gradients, learningRate }) {
      if (disposed) throw new ModelError('disposed', 'The optimizer was disposed.');
      if (!(Number.isFinite(learningRate) && learningRate >= 0)) {
        throw new ModelError('invalid-parameter', 'learningRate must be a finite non-negative number.', {
          details: `learningRate: ${learningRate}`,
        });
      }
      if (gradients.length !== variables.length) {
        throw new ModelError('invalid-parameter', 'One gradient per variable is required.', {
          details: `${gradients.length} gradients for ${variables.length} variables`,
        });
      }
      stepCount += 1;
      const correction1 = 1 - beta1 ** stepCount;
      const correction2 = 1 - beta2 ** stepCount;
      tf.tidy(() => {
        variables.forEach((variable, i) => {
          const g = gradients[i] as tf.Tensor;
          const mi = m[i] as tf.Variable;
          const vi = v[i] as tf.Variable;
          mi.assign(tf.add(tf.mul(mi, beta1), tf.mul(g, 1 - beta1)));
          vi.assign(tf.add(tf.mul(vi, beta2), tf.mul(tf.square(g), 1 - beta2)));
          const decayed =
            decay[i] && weightDecay > 0 ? tf.mul(variable, 1 - learningRate * weightDecay) : variable;
          const denominator = tf.add(tf.sqrt(tf.div(vi, correction2)), epsilon);
          const update = tf.div(tf.div(mi, correction1), denominator);
          variable.assign(tf.sub(decayed, tf.mul(update, learningRate)));
        });
      });
    },
    reset() {
      if (disposed) throw new ModelError('disposed', 'The optimizer was disposed.');
      free();
      m = zeros();
      v = zeros();
      stepCount = 0;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      free();
    },
  };
}

function checkRange(name: string, value: number, min: number, maxExclusive: number): void {
  if (!(Number.isFinite(value) && value >= min && value < maxExclusive)) {
    throw new ModelError('invalid-parameter', `${name} is out of range.`, {
      details: `${name}: ${value}, expected [${min}, ${maxExclusive})`,
    });
  }
}

function checkWeightDecay(value: number): void {
  checkRange('weightDecay', value, 0, Infinity);
}
