import { encodeUpdate, shardRange } from '@tessera/core';
import type {
  Assignment,
  CompressedUpdate,
  Corpus,
  Hex32,
  Hyperparameters,
  Logger,
  Model,
  StoreRouter,
  SubnetChain,
} from '@tessera/core';
import type { PreviousSubmission, StrategyContext, TrainedUpdate } from '../strategies/types.js';
import { compressWithFeedback } from './compressWithFeedback.js';
import type { MinerMetrics } from './minerMetrics.js';
import { trainWindowUpdate } from './trainWindowUpdate.js';

/** Parameters of {@link createStrategyContext}. */
export type CreateStrategyContextParameters = {
  chain: SubnetChain;
  router: Pick<StoreRouter, 'get'>;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  model: Model;
  window: number;
  uid: number;
  deadline: number;
  assignment: Assignment;
  theta: Float32Array;
  thetaHash: Hex32;
  /** The shard's error-feedback buffer as saved; never modified. */
  errorFeedback: Float32Array;
  staleModel: StrategyContext['staleModel'];
  previous: PreviousSubmission | undefined;
  metrics: Pick<MinerMetrics, 'trainingSeconds'>;
  logger: Logger;
  signal: AbortSignal;
  random: { next(): number; bytes(length: number): Uint8Array };
  downloadTimeoutMs: number;
  /** Extra options of `chain.waitForBlock` (the poll interval). */
  waitOptions: { pollMs?: number };
  /** Called with true while a strategy waits for the chain, false when it trains again. */
  onWait: (waiting: boolean) => void;
};

/** A strategy's context, and the pre-send buffer of each post-send buffer it handed out. */
export type WindowStrategyContext = {
  context: StrategyContext;
  /** Each post-send buffer `compress` or `train` handed out → the buffer before its send. */
  beforeSendOf: WeakMap<Float32Array, Float32Array>;
};

/**
 * Step 3 of the miner's window: what a strategy gets to build its submission with, over the
 * window's assignment, θ_w and the shard's error-feedback buffer. `train()` with no choice
 * is the honest work (`trainWindowUpdate`), run once however often it is asked for.
 *
 * @example
 * const { context, beforeSendOf } = createStrategyContext({ ... });
 * const submission = await strategy(context);
 */
export function createStrategyContext(parameters: CreateStrategyContextParameters): WindowStrategyContext {
  const {
    chain,
    router,
    corpus,
    hyperparameters: h,
    model,
    window,
    uid,
    assignment,
    theta,
    thetaHash,
  } = parameters;
  const { logger, signal, waitOptions } = parameters;
  const parameterCount = model.parameterCount;
  const beforeSendOf = new WeakMap<Float32Array, Float32Array>();
  const compress = (delta: Float32Array) => {
    const { compressed, errorFeedback, beforeSend } = compressWithFeedback({
      delta,
      errorFeedback: parameters.errorFeedback,
      hyperparameters: h,
    });
    beforeSendOf.set(errorFeedback, beforeSend);
    return { compressed, errorFeedback };
  };
  const encode = (compressed: CompressedUpdate) =>
    encodeUpdate({ ...compressed, window, parameterCount, shards: h.shards, shard: assignment.shard });
  const trainFrom = async (choice: Parameters<StrategyContext['train']>[0] = {}): Promise<TrainedUpdate> => {
    const { beforeSend, trainingSeconds, ...update } = await trainWindowUpdate({
      model,
      theta,
      thetaHash,
      corpus,
      hyperparameters: h,
      window,
      shard: assignment.shard,
      pages: choice.pages ?? assignment.pages,
      errorFeedback: parameters.errorFeedback,
      heldOutPages: choice.heldOutPages,
      base: choice.base,
      steps: choice.steps,
      signal,
    });
    parameters.metrics.trainingSeconds.observe(trainingSeconds);
    beforeSendOf.set(update.errorFeedback, beforeSend);
    return update;
  };
  let honestRun: Promise<TrainedUpdate> | undefined;
  const context: StrategyContext = {
    window,
    uid,
    assignment,
    shardRange: shardRange({ parameterCount, shards: h.shards, shard: assignment.shard }),
    hyperparameters: h,
    parameterCount,
    trainPageCount: corpus.trainPageCount,
    parameters: theta,
    modelHash: thetaHash,
    staleModel: parameters.staleModel,
    previous: parameters.previous,
    deadline: parameters.deadline,
    chain: {
      blockNumber: () => chain.blockNumber(),
      commitments: (choice) => chain.commitments(choice),
      // A strategy waiting for the chain (copycat, sybil) shows as waiting, not training.
      async waitForBlock(choice) {
        parameters.onWait(true);
        try {
          return await chain.waitForBlock({ ...waitOptions, ...choice });
        } finally {
          parameters.onWait(false);
        }
      },
    },
    logger,
    signal,
    random: () => parameters.random.next(),
    randomBytes: (length) => parameters.random.bytes(length),
    train(choice = {}) {
      const asAssigned = Object.values(choice).every((value) => value === undefined);
      return asAssigned ? (honestRun ??= trainFrom({})) : trainFrom(choice);
    },
    compress,
    encode,
    download: (uri) =>
      router.get({ uri, maxBytes: h.maxUpdateBytes, timeoutMs: parameters.downloadTimeoutMs, signal }),
  };
  return { context, beforeSendOf };
}
