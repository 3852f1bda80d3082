import { parseHyperparameters } from './parseHyperparameters.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/**
 * Named hyperparameter sets.
 *
 * - `tiny`: the defaults. The 136k-parameter `tiny` model, 10-block windows, 8 inner
 *   steps of 8 × 64 tokens, 8-bit values keeping 1 in 16: a window trains in seconds on two
 *   CPU cores, for tests and the devnet.
 * - `gpu`: the 53M-parameter `gpu-50m` model on one GPU per miner; 30-block windows and
 *   12 per epoch (360 blocks, one Bittensor tempo at 12 s blocks), 4 shards, 2-bit values
 *   keeping 128 of 4096 (about 108× smaller than float32).
 *
 * @example
 * const hyperparameters = parseHyperparameters({ ...hyperparameterPresets.gpu, shards: 8 });
 */
export const hyperparameterPresets: { readonly tiny: Hyperparameters; readonly gpu: Hyperparameters } =
  Object.freeze({
    tiny: parseHyperparameters({}),
    gpu: parseHyperparameters({
      modelPreset: 'gpu-50m',
      blocksPerWindow: 30,
      windowsPerEpoch: 12,
      deadlineGraceBlocks: 3,
      innerSteps: 30,
      innerLearningRate: 6e-4,
      weightDecay: 0.1,
      outerLearningRate: 1,
      batchSize: 16,
      pagesPerWindow: 32,
      pageTokens: 512,
      shards: 4,
      chunkSize: 4096,
      topK: 128,
      quantBits: 2,
      maxUpdateBytes: 8 << 20,
      aggregationSize: 16,
      checkpointEveryWindows: 48,
      scoreEmaAlpha: 0.1,
      weightPower: 3,
      heldOutPages: 16,
      evalPages: 16,
    }),
  });

/** A name in {@link hyperparameterPresets}. */
export type HyperparameterPresetName = keyof typeof hyperparameterPresets;
