import { parseHyperparameters } from './parseHyperparameters.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/**
 * Named hyperparameter sets.
 *
 * - `tiny`: the devnet's. The 136k-parameter `tiny` model, 10-block windows, 8 inner steps
 *   of 4 × 64 tokens over 32 pages (one pass: no page is trained on twice in a window),
 *   2-bit values keeping 24 of 1024 (112× smaller than float32), η_outer 3: a window trains
 *   in seconds on two CPU cores. The settings at which the parity benchmark comes closest to
 *   data-parallel training (BENCHMARKS.md).
 * - `gpu`: the 53M-parameter `gpu-50m` model on one GPU per miner; 30-block windows and
 *   12 per epoch (360 blocks, one Bittensor tempo at 12 s blocks), 30 inner steps of 16 × 512
 *   tokens over 480 pages (one pass; validators measure 32 of them, `proofPages`), 4 shards,
 *   2-bit values keeping 128 of 4096 (about 108× smaller than float32). Its windows assign
 *   about 490 pages a miner, so it needs a dataset far larger than the Brown Corpus
 *   (docs/datasets.md).
 *
 * @example
 * const hyperparameters = parseHyperparameters({ ...hyperparameterPresets.gpu, shards: 8 });
 */
export const hyperparameterPresets: { readonly tiny: Hyperparameters; readonly gpu: Hyperparameters } =
  Object.freeze({
    tiny: parseHyperparameters({
      batchSize: 4,
      pagesPerWindow: 32,
      innerLearningRate: 1e-3,
      outerLearningRate: 3,
      topK: 24,
      quantBits: 2,
      evalPages: 32,
    }),
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
      pagesPerWindow: 480,
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
