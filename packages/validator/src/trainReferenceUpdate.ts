import {
  buildBatches,
  compressUpdate,
  getParameters,
  l2Norm,
  setParameters,
  shardRange,
  trainInnerSteps,
} from '@tessera/core';
import type { AdamW, Corpus, Hyperparameters, Model, SparseUpdate } from '@tessera/core';

/** Parameters of {@link trainReferenceUpdate}. */
export type TrainReferenceUpdateParameters = {
  /** A model of the run's config; its parameters are overwritten. */
  model: Model;
  /** θ_w. Not modified. */
  theta: Float32Array;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  /** The window's reference pages (`drawEvaluationPages`): assigned to no miner. */
  pages: readonly number[];
  /**
   * The reference's own error-feedback buffers, one per shard (shard-long), updated in place
   * as a miner's are: the reference carries what it did not send, as honest miners do, so its
   * norm is the norm an honest update has. @default zeros (a validator that just started)
   */
  errorFeedback?: Float32Array[] | undefined;
  /**
   * AdamW to continue with, its moments kept from earlier windows, as a miner that keeps its
   * inner optimizer state does. @default a fresh one each window
   */
  optimizer?: AdamW | undefined;
  signal?: AbortSignal | undefined;
};

/** The validator's own update of a window, one part per shard. */
export type ReferenceUpdate = {
  /** Per shard, in shard order: the compressed update restricted to it, and its L2 norm. */
  shards: (SparseUpdate & { shard: number; norm: number })[];
};

/**
 * Does one honest miner's work on pages no miner was assigned: `innerSteps` AdamW steps from
 * θ_w, `Δ = θ_w − θ_local`, then, per shard, its error-feedback buffer added, top-k per
 * chunk and quantization exactly as a miner's codec does. Its norm is the window's norm
 * bound ρ of that shard, and what it does to the unseen pages is the unit the window's
 * scores are measured in. No miner can move either: the pages come from the validator's
 * secret, drawn after the deadline.
 *
 * @returns The reference update's parts, with global indices.
 * @example
 * const reference = await trainReferenceUpdate({ model, theta, corpus, hyperparameters, pages: pages.reference });
 */
export async function trainReferenceUpdate(
  parameters: TrainReferenceUpdateParameters,
): Promise<ReferenceUpdate> {
  const { model, theta, corpus, hyperparameters: h, pages, signal } = parameters;
  setParameters({ model, parameters: theta });
  await trainInnerSteps({
    model,
    batches: buildBatches({ pages: pages.map((page) => corpus.getPage(page)), batchSize: h.batchSize }),
    steps: h.innerSteps,
    learningRate: h.innerLearningRate,
    weightDecay: h.weightDecay,
    optimizer: parameters.optimizer,
    signal,
  });
  const local = getParameters({ model });
  const feedbackOf = (shard: number, length: number): Float32Array => {
    const buffer = parameters.errorFeedback?.[shard];
    return buffer?.length === length ? buffer : new Float32Array(length);
  };
  const shards: ReferenceUpdate['shards'] = [];
  for (let shard = 0; shard < h.shards; shard++) {
    const range = shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard });
    const delta = new Float32Array(range.length);
    for (let i = 0; i < range.length; i++) delta[i] = theta[range.offset + i]! - local[range.offset + i]!;
    const compressed = compressUpdate({
      delta,
      errorFeedback: feedbackOf(shard, range.length),
      chunkSize: h.chunkSize,
      topK: h.topK,
      bits: h.quantBits,
    });
    const indices = new Uint32Array(compressed.indices.length);
    for (let t = 0; t < indices.length; t++) indices[t] = compressed.indices[t]! + range.offset;
    shards.push({ shard, indices, values: compressed.values, norm: l2Norm(compressed.values) });
  }
  return { shards };
}
