import { ModelError } from '../errors/model.js';
import type { ModelConfig } from './modelConfig.js';
import { parameterCount } from './parameterLayout.js';

/** Bytes of one float32. */
const FLOAT = 4;

/**
 * How much more than the forward tensors a batch holds at the peak of its backward pass,
 * measured with `tf.profile` on the cpu backend (2.41 for tiny at 4 × 64 and 8 × 32, 2.51 for
 * small at 2 × 128; the test checks it stays so).
 */
export const BACKWARD_PEAK_FACTOR = 2.5;

/** Parameters of {@link estimateMemory}. */
export type EstimateMemoryParameters = {
  /** The model's shape (a preset from `getModelPreset`). */
  config: ModelConfig;
  /** Sequences per inner step (the run's `batchSize`). */
  batchSize: number;
  /** Tokens per sequence (the run's `pageTokens`), at most the model's `contextLength`. */
  sequenceLength: number;
};

/** What a miner's training step holds in memory, in bytes unless said otherwise. */
export type MemoryEstimate = {
  /** Length of the flat parameter vector. */
  parameterCount: number;
  /** The parameters as float32. */
  parameterBytes: number;
  /** One gradient per parameter, float32, alive while AdamW applies them. */
  gradientBytes: number;
  /** AdamW's two moment estimates (m and v) per parameter, float32. */
  optimizerBytes: number;
  /**
   * Forward-pass tensors of one batch that the backward pass keeps (float32, counted from the
   * ops of `computeLogits` and the loss): per token and block `23·dModel + 11·mlpHidden +
   * 4·heads·T` entries (layer norms, projections, attention scores, GELU), plus `7·dModel +
   * 6·vocabSize` for the embeddings, the final norm and the loss; `T` the sequence length.
   */
  activationBytes: number;
  /**
   * What one batch holds at the height of the backward pass: the forward tensors plus the
   * gradients flowing back through them, {@link BACKWARD_PEAK_FACTOR} times `activationBytes`
   * (measured on TensorFlow.js's cpu backend).
   */
  peakActivationBytes: number;
  /** Parameters, gradients, optimizer and the activations' peak: about what one training step needs on the device. */
  totalBytes: number;
};

/**
 * Estimates the memory a model needs to train at a batch size and sequence length: the
 * parameters, their gradients, AdamW's moments and one batch's activations, all float32. The
 * parameter figures are exact; the activations count the tensors the forward pass creates,
 * which TensorFlow.js keeps until the step's gradients are taken, and the backward pass's
 * peak on top of them. `tessera init` prints these for the run's preset.
 *
 * @throws ModelError `invalid-parameter` for a batch size or sequence length that is not a
 *   positive integer, or a sequence longer than the model's context.
 * @example
 * const { parameterCount, activationBytes } = estimateMemory({ config: modelPresets.tiny, batchSize: 8, sequenceLength: 64 });
 * parameterCount; // 136448
 */
export function estimateMemory(parameters: EstimateMemoryParameters): MemoryEstimate {
  const { config, batchSize, sequenceLength: T } = parameters;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new ModelError('invalid-parameter', 'batchSize must be a positive integer.', {
      details: `batchSize: ${batchSize}`,
    });
  }
  if (!Number.isSafeInteger(T) || T < 1 || T > config.contextLength) {
    throw new ModelError(
      'invalid-parameter',
      'sequenceLength must be a positive integer within the context.',
      {
        details: `sequenceLength: ${T}, contextLength: ${config.contextLength}`,
      },
    );
  }
  const { dModel: D, mlpHidden: F, heads: H, vocabSize: V, layers: L } = config;
  const count = parameterCount({ config });
  const perTokenPerBlock = 23 * D + 11 * F + 4 * H * T + 8;
  const perToken = L * perTokenPerBlock + 7 * D + 6 * V + 4;
  // The causal mask [T, T] and the sliced positions [T, D] are shared by the whole batch.
  const activationBytes = (batchSize * T * perToken + T * T + T * D) * FLOAT;
  const parameterBytes = count * FLOAT;
  const gradientBytes = count * FLOAT;
  const optimizerBytes = 2 * count * FLOAT;
  const peakActivationBytes = Math.ceil(BACKWARD_PEAK_FACTOR * activationBytes);
  return {
    parameterCount: count,
    parameterBytes,
    gradientBytes,
    optimizerBytes,
    activationBytes,
    peakActivationBytes,
    totalBytes: parameterBytes + gradientBytes + optimizerBytes + peakActivationBytes,
  };
}
