import { silentLogger } from '../common/logger.js';
import { createAdamW } from './createAdamW.js';
import { selectBackend } from './selectBackend.js';
import { tf } from './tfjs.js';

beforeAll(async () => {
  await selectBackend({ preferred: 'cpu', strict: true, logger: silentLogger, env: {} });
});

/** One AdamW step in plain double arithmetic, as the formula in createAdamW's docs says. */
function reference(
  state: { theta: number; m: number; v: number },
  g: number,
  t: number,
  o: { lr: number; wd: number; b1: number; b2: number; eps: number; decay: boolean },
) {
  const theta = o.decay ? state.theta * (1 - o.lr * o.wd) : state.theta;
  const m = o.b1 * state.m + (1 - o.b1) * g;
  const v = o.b2 * state.v + (1 - o.b2) * g * g;
  const update = m / (1 - o.b1 ** t) / (Math.sqrt(v / (1 - o.b2 ** t)) + o.eps);
  return { theta: theta - o.lr * update, m, v };
}

describe('createAdamW', () => {
  it('matches a hand-computed first step: decay θ·(1 − ηλ), then a unit-size step against the gradient', () => {
    const theta = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = createAdamW({
      variables: [theta],
      weightDecay: 0.1,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    });
    const g = tf.tensor1d([0.5, 0.25]);
    optimizer.step({ gradients: [g], learningRate: 0.1 });
    // Bias-corrected m̂ = g and v̂ = g², so the step is η·g/|g| = ±0.1 after 1 − 0.1·0.1 decay.
    const [a, b] = theta.dataSync();
    expect(a).toBeCloseTo(0.99 - 0.1, 6);
    expect(b).toBeCloseTo(-1.98 - 0.1, 6);
    optimizer.dispose();
    theta.dispose();
    g.dispose();
  });

  it('follows the reference over several steps, and leaves no-decay variables undecayed', () => {
    const options = { lr: 0.05, wd: 0.2, b1: 0.8, b2: 0.9, eps: 1e-6 };
    const decayed = tf.variable(tf.tensor1d([0.3]));
    const plain = tf.variable(tf.tensor1d([0.3]));
    const optimizer = createAdamW({
      variables: [decayed, plain],
      decay: [true, false],
      weightDecay: options.wd,
      beta1: options.b1,
      beta2: options.b2,
      epsilon: options.eps,
    });
    let withDecay = { theta: 0.3, m: 0, v: 0 };
    let without = { theta: 0.3, m: 0, v: 0 };
    const gradients = [0.4, -0.1, 0.02, 1.5];
    gradients.forEach((g, i) => {
      const tensors = [tf.tensor1d([g]), tf.tensor1d([g])];
      optimizer.step({ gradients: tensors, learningRate: options.lr });
      tensors.forEach((t) => t.dispose());
      withDecay = reference(withDecay, g, i + 1, { ...options, decay: true });
      without = reference(without, g, i + 1, { ...options, decay: false });
    });
    expect(optimizer.stepCount).toBe(4);
    expect(decayed.dataSync()[0]).toBeCloseTo(withDecay.theta, 6);
    expect(plain.dataSync()[0]).toBeCloseTo(without.theta, 6);
    expect(withDecay.theta).not.toBeCloseTo(without.theta, 3);
    optimizer.dispose();
    decayed.dispose();
    plain.dispose();
  });

  it('holds two moment tensors per variable, freed by dispose', () => {
    const before = tf.memory().numTensors;
    const theta = tf.tidy(() => tf.variable(tf.zeros([3, 2])));
    const optimizer = createAdamW({ variables: [theta] });
    expect(tf.memory().numTensors).toBe(before + 3);
    optimizer.reset();
    expect(tf.memory().numTensors).toBe(before + 3);
    optimizer.dispose();
    theta.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad hyperparameters and a wrong number of gradients', () => {
    const theta = tf.variable(tf.zeros([1]));
    expect(() => createAdamW({ variables: [theta], beta1: 1 })).toThrow(/beta1/);
    expect(() => createAdamW({ variables: [theta], decay: [true, false] })).toThrow(/one entry per variable/);
    const optimizer = createAdamW({ variables: [theta] });
    expect(() => optimizer.step({ gradients: [], learningRate: 0.1 })).toThrow(/One gradient per variable/);
    expect(() => optimizer.step({ gradients: [theta], learningRate: Number.NaN })).toThrow(/learningRate/);
    optimizer.dispose();
    expect(() => optimizer.step({ gradients: [theta], learningRate: 0.1 })).toThrow(/disposed/);
    theta.dispose();
  });
});
