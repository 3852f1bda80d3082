import {
  buildBatches,
  compressUpdate,
  encodeUpdate,
  getParameters,
  setParameters,
  shardRange,
  trainInnerSteps,
} from '@tessera/core';
import type { AdamW, Corpus, Hyperparameters, Model } from '@tessera/core';

/** Parameters of {@link trainUpdate}. */
export type TrainUpdateParameters = {
  model: Model;
  /** θ_w; the model is set to it before training. */
  theta: Float32Array;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  /** Training pages to train on (an honest miner's assignment, or someone else's). */
  pages: readonly number[];
  window: number;
  /** @default 0 */
  shard?: number;
  /** Error-feedback buffer for the shard, updated in place. @default zeros */
  errorFeedback?: Float32Array;
  /** AdamW to continue with, its moments kept from earlier windows. @default a fresh one */
  optimizer?: AdamW | undefined;
};

/**
 * Does what an honest miner does in one window, on the given pages: `innerSteps` AdamW
 * steps from θ_w, Δ = θ_w − θ_local on the shard, top-k with error feedback, quantization,
 * the wire format. For tests and measurements.
 *
 * @returns The update's bytes.
 * @example
 * const bytes = await trainUpdate({ model, theta, corpus, hyperparameters, pages: assignment.pages, window: 3 });
 */
export async function trainUpdate(parameters: TrainUpdateParameters): Promise<Uint8Array> {
  const { model, theta, corpus, hyperparameters: h, pages, window } = parameters;
  const shard = parameters.shard ?? 0;
  setParameters({ model, parameters: theta });
  const batches = buildBatches({ pages: pages.map((page) => corpus.getPage(page)), batchSize: h.batchSize });
  await trainInnerSteps({
    model,
    batches,
    steps: h.innerSteps,
    learningRate: h.innerLearningRate,
    weightDecay: h.weightDecay,
    optimizer: parameters.optimizer,
  });
  const local = getParameters({ model });
  const range = shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard });
  const delta = new Float32Array(range.length);
  for (let i = 0; i < range.length; i++) delta[i] = theta[range.offset + i]! - local[range.offset + i]!;
  const compressed = compressUpdate({
    delta,
    errorFeedback: parameters.errorFeedback ?? new Float32Array(range.length),
    chunkSize: h.chunkSize,
    topK: h.topK,
    bits: h.quantBits,
  });
  return encodeUpdate({
    ...compressed,
    window,
    parameterCount: model.parameterCount,
    shards: h.shards,
    shard,
  });
}
