import {
  buildBatches,
  digestUpdate,
  encodeUpdate,
  getParameters,
  modelHash,
  setParameters,
  shardRange,
  trainInnerSteps,
} from '@tessera/core';
import type { Corpus, Hex32, Hyperparameters, Model } from '@tessera/core';
import type { TrainedUpdate } from '../strategies/types.js';
import { compressWithFeedback } from './compressWithFeedback.js';

/** Parameters of {@link trainWindowUpdate}. */
export type TrainWindowUpdateParameters = {
  /** The model to train (its parameters are overwritten). */
  model: Model;
  /** θ_w: the base unless `base` is given. */
  theta: Float32Array;
  /** `modelHash(theta)`, when known. @default computed when needed */
  thetaHash?: Hex32 | undefined;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  window: number;
  /** The assigned shard. */
  shard: number;
  /** Training pages: the assignment's. */
  pages: readonly number[];
  /** The shard's error-feedback buffer; left as it is (the result carries the updated copy). */
  errorFeedback: Float32Array;
  /** Pages of the public held-out split batched with `pages` (cheaters only). @default none */
  heldOutPages?: readonly number[] | undefined;
  /** θ to start from instead of θ_w (cheaters only). @default theta */
  base?: Float32Array | undefined;
  /** Inner steps, at least 1. @default innerSteps */
  steps?: number | undefined;
  signal?: AbortSignal | undefined;
};

/** An honest window's work, with what the miner's bookkeeping needs beside it. */
export type WindowUpdate = TrainedUpdate & {
  /** The error-feedback buffer before the send was taken out (`compressWithFeedback`). */
  beforeSend: Float32Array;
  /** Time spent in the inner steps. */
  trainingSeconds: number;
};

/**
 * Steps 3 and 4 of the miner's window, the honest work: `innerSteps` AdamW steps from θ_w on
 * the assigned pages (batched as `buildBatches` does), Δ = θ_w − θ_local on the shard, top-k
 * with error feedback and quantization (`compressWithFeedback`), the wire format
 * (`encodeUpdate`) and its digest. What `createMiner` runs for the honest strategy, and what
 * benchmarks call to train as a miner does.
 *
 * @example
 * const update = await trainWindowUpdate({ model, theta, corpus, hyperparameters, window, shard: assignment.shard, pages: assignment.pages, errorFeedback });
 * // commit update.digest, keep update.errorFeedback once committed
 */
export async function trainWindowUpdate(parameters: TrainWindowUpdateParameters): Promise<WindowUpdate> {
  const { model, corpus, hyperparameters: h, window, shard, pages, base } = parameters;
  const start = base ?? parameters.theta;
  setParameters({ model, parameters: start });
  const batches = buildBatches({
    pages: [
      ...pages.map((page) => corpus.getPage(page)),
      ...(parameters.heldOutPages ?? []).map((page) => corpus.getHeldOutPage(page)),
    ],
    batchSize: h.batchSize,
  });
  const started = performance.now();
  const { losses } = await trainInnerSteps({
    model,
    batches,
    steps: Math.max(1, Math.floor(parameters.steps ?? h.innerSteps)),
    learningRate: h.innerLearningRate,
    weightDecay: h.weightDecay,
    signal: parameters.signal,
  });
  const trainingSeconds = (performance.now() - started) / 1000;
  const local = getParameters({ model });
  const range = shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard });
  const delta = new Float32Array(range.length);
  for (let i = 0; i < range.length; i++) delta[i] = start[range.offset + i]! - local[range.offset + i]!;
  const { compressed, errorFeedback, beforeSend } = compressWithFeedback({
    delta,
    errorFeedback: parameters.errorFeedback,
    hyperparameters: h,
  });
  const bytes = encodeUpdate({
    ...compressed,
    window,
    parameterCount: model.parameterCount,
    shards: h.shards,
    shard,
  });
  return {
    pages,
    modelHash:
      base === undefined
        ? (parameters.thetaHash ?? modelHash({ parameters: start }))
        : modelHash({ parameters: base }),
    delta,
    losses,
    compressed,
    errorFeedback,
    beforeSend,
    bytes,
    digest: digestUpdate(bytes),
    trainingSeconds,
  };
}
