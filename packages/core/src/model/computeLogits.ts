import type { TokenBatch } from '../data/buildBatches.js';
import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';
import { tf } from './tfjs.js';
import { toTokenTensor } from './toTokenTensor.js';

/** Parameters of {@link computeLogits}. */
export type ComputeLogitsParameters = {
  model: Model;
  /** Input tokens, rows of at most `contextLength` tokens. */
  batch: TokenBatch;
};

/**
 * Runs the model forward and returns next-token logits for every position.
 *
 * @returns A float32 tensor `[batchSize, rowLength, vocabSize]`; the caller disposes it.
 * @throws ModelError `invalid-batch` or `disposed`.
 * @example
 * const logits = computeLogits({ model, batch: { tokens, batchSize: 1, rowLength: tokens.length } });
 * const next = tf.argMax(logits, -1); logits.dispose();
 */
export function computeLogits(parameters: ComputeLogitsParameters): tf.Tensor3D {
  const { model, batch } = parameters;
  assertLiveModel(model);
  return tf.tidy(() => {
    const inputs = toTokenTensor(model, batch, { min: 1, max: model.config.contextLength });
    return tf.reshape(forwardLogits(model, inputs), [
      batch.batchSize,
      batch.rowLength,
      model.config.vocabSize,
    ]);
  });
}

/**
 * The transformer: pre-norm blocks of causal multi-head attention and a GELU MLP, learned
 * positions, a final layer norm and the LM head. Call inside `tf.tidy`.
 *
 * @param inputs int32 `[B, T]`, every id inside the vocabulary, `T <= contextLength`.
 * @returns Logits `[B * T, vocabSize]`.
 * @internal
 */
export function forwardLogits(model: Model, inputs: tf.Tensor2D): tf.Tensor2D {
  const { config } = model;
  const [B, T] = inputs.shape;
  const { dModel: D, heads: H, vocabSize: V } = config;
  const Dh = D / H;
  const p = parameterMap(model);

  const ids = tf.reshape(inputs, [B * T]) as tf.Tensor1D;
  const tokens = embed(p('tok_emb'), ids, V);
  const positions = tf.slice(p('pos_emb'), [0, 0], [T, D]);
  let x = tf.reshape(tf.add(tf.reshape(tokens, [B, T, D]), positions), [B * T, D]) as tf.Tensor2D;

  const mask = causalMask(T);
  const scale = 1 / Math.sqrt(Dh);
  const toHeads = (t: tf.Tensor2D) => tf.transpose(tf.reshape(t, [B, T, H, Dh]), [0, 2, 1, 3]);

  for (let i = 0; i < config.layers; i++) {
    const h1 = layerNorm(x, p(`h.${i}.ln1.g`), p(`h.${i}.ln1.b`), config.layerNormEpsilon);
    const q = toHeads(matMul(h1, p(`h.${i}.attn.wq`)));
    const k = toHeads(matMul(h1, p(`h.${i}.attn.wk`)));
    const v = toHeads(matMul(h1, p(`h.${i}.attn.wv`)));
    const scores = tf.add(tf.mul(matMulT(q, k), scale), mask);
    const attended = matMul(tf.softmax(scores), v); // [B, H, T, Dh]
    const merged = tf.reshape(tf.transpose(attended, [0, 2, 1, 3]), [B * T, D]) as tf.Tensor2D;
    x = tf.add(x, matMul(merged, p(`h.${i}.attn.wo`)));

    const h2 = layerNorm(x, p(`h.${i}.ln2.g`), p(`h.${i}.ln2.b`), config.layerNormEpsilon);
    const hidden = gelu(tf.add(matMul(h2, p(`h.${i}.mlp.w1`)), p(`h.${i}.mlp.b1`)));
    x = tf.add(x, tf.add(matMul(hidden, p(`h.${i}.mlp.w2`)), p(`h.${i}.mlp.b2`)));
  }

  const out = layerNorm(x, p('ln_f.g'), p('ln_f.b'), config.layerNormEpsilon);
  return config.tieEmbeddings ? matMulT(out, p('tok_emb')) : matMul(out, p('lm_head'));
}

/**
 * `a @ b` over the last two axes, with gradients that are plain products of explicitly
 * transposed operands. TensorFlow.js's own gradient multiplies with transpose flags, which
 * the wasm backend runs 10 to 25 times slower than a transpose and a plain product.
 */
const plainMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedA, savedB] = saved as [tf.Tensor, tf.Tensor];
      return [tf.matMul(dy, transposeLast(savedB)), tf.matMul(transposeLast(savedA), dy)];
    },
  };
});

/** `a @ b`; see {@link plainMatMul} for why wasm takes another path. */
function matMul<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  return (tf.getBackend() === 'wasm' ? plainMatMul(a, b) : tf.matMul(a, b)) as T;
}

/** `a @ bᵀ` (transposing the last two axes of `b`). */
function matMulT<T extends tf.Tensor>(a: T, b: tf.Tensor): T {
  return (tf.getBackend() === 'wasm' ? plainMatMul(a, transposeLast(b)) : tf.matMul(a, b, false, true)) as T;
}

/** Swaps the last two axes. */
function transposeLast<T extends tf.Tensor>(x: T): T {
  const perm = x.shape.map((_, i) => i);
  const n = perm.length;
  [perm[n - 2], perm[n - 1]] = [n - 1, n - 2];
  return tf.transpose(x, perm);
}

/**
 * Looks up embedding rows. On libtensorflow (`tensorflow`) with `tf.gather`; elsewhere with
 * a one-hot matrix product, which gives exactly the same rows: wasm has no kernel for the
 * gather's gradient (UnsortedSegmentSum), and the cpu backend's is far slower than the
 * product (2.4 s against 0.1 s per tiny step).
 */
function embed(table: tf.Tensor2D, ids: tf.Tensor1D, vocabSize: number): tf.Tensor2D {
  if (tf.getBackend() === 'tensorflow') return tf.gather(table, ids);
  return matMul(oneHotFloat(ids, vocabSize), table);
}

/**
 * One-hot rows as float32. Built as int32 and cast: the wasm backend's OneHot kernel
 * ignores the dtype argument and writes integer bits into a float tensor.
 * @internal
 */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), 'float32') as tf.Tensor2D;
}

function layerNorm(x: tf.Tensor2D, gain: tf.Tensor, bias: tf.Tensor, epsilon: number): tf.Tensor2D {
  const mean = tf.mean(x, -1, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), -1, true);
  return tf.add(tf.mul(tf.mul(centred, tf.rsqrt(tf.add(variance, epsilon))), gain), bias);
}

/** GELU, tanh approximation. */
function gelu(x: tf.Tensor2D): tf.Tensor2D {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** `[T, T]`: 0 where a position may attend (itself and earlier), -1e9 after it. */
function causalMask(T: number): tf.Tensor2D {
  const values = new Float32Array(T * T);
  for (let row = 0; row < T; row++) values.fill(-1e9, row * T + row + 1, (row + 1) * T);
  return tf.tensor2d(values, [T, T]);
}

function parameterMap(model: Model): (name: string) => tf.Tensor2D {
  const byName = new Map(model.layout.map((spec, i) => [spec.name, model.variables[i] as tf.Variable]));
  return (name) => {
    const variable = byName.get(name);
    if (variable === undefined) throw new Error(`model has no parameter ${name}`);
    return variable as tf.Tensor as tf.Tensor2D;
  };
}
