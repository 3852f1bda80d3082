import {
  createRandom,
  digestUpdate,
  encodeUpdate,
  modelHash,
  parseHyperparameters,
  shardRange,
  silentLogger,
} from '@tessera/core';
import type { Commitment, CompressedUpdate, Hyperparameters } from '@tessera/core';
import { compressWithFeedback } from '@tessera/miner';
import type { StrategyContext, TrainChoice, TrainedUpdate } from '@tessera/miner';

/** Parameters of {@link fakeStrategyContext}; everything has a small default. */
export type FakeStrategyContextParameters = {
  window?: number;
  uid?: number;
  parameterCount?: number;
  shards?: number;
  shard?: number;
  hyperparameters?: Partial<Hyperparameters>;
  /** Commitments `commitments()` returns once the head reaches their block. */
  commitments?: Commitment[];
  /** Bytes `download()` returns, by URI. */
  files?: Map<string, Uint8Array>;
  head?: number;
  deadline?: number;
  previous?: StrategyContext['previous'];
  staleModel?: StrategyContext['staleModel'];
};

/** A strategy context without a model or a chain, and the calls the strategy made to it. */
export type FakeStrategyContext = StrategyContext & {
  /** Each `train()` call's choice. */
  readonly trainCalls: TrainChoice[];
  /** What the default `train()` returns. */
  readonly honestUpdate: () => TrainedUpdate;
  /** The chain's head; `waitForBlock` moves it. */
  readonly head: () => number;
};

/**
 * Builds a {@link StrategyContext} whose `train()` returns a fixed pseudo-gradient (a ramp
 * over the shard) instead of training, with the real codec, for strategy unit tests.
 *
 * @example
 * const context = fakeStrategyContext({ window: 3 });
 * const submission = await honest(context);
 */
export function fakeStrategyContext(parameters: FakeStrategyContextParameters = {}): FakeStrategyContext {
  const window = parameters.window ?? 5;
  const uid = parameters.uid ?? 2;
  const parameterCount = parameters.parameterCount ?? 2000;
  const shards = parameters.shards ?? 1;
  const shard = parameters.shard ?? 0;
  const h = parseHyperparameters({ chunkSize: 256, topK: 16, shards, ...parameters.hyperparameters });
  const range = shardRange({ parameterCount, shards, shard });
  const theta = Float32Array.from({ length: parameterCount }, (_, i) => Math.sin(i) * 0.02);
  const thetaHash = modelHash({ parameters: theta });
  const errorFeedback = new Float32Array(range.length);
  const random = createRandom({ seed: new Uint8Array(16).fill(7) });
  const trainCalls: FakeStrategyContext['trainCalls'] = [];
  let head = parameters.head ?? 100;
  const commitments = parameters.commitments ?? [];

  // The miner's own compression, so strategies see the bytes an honest miner would send.
  const compress = (delta: Float32Array) =>
    compressWithFeedback({ delta, errorFeedback, hyperparameters: h });
  const encode = (compressed: CompressedUpdate) =>
    encodeUpdate({ ...compressed, window, parameterCount, shards, shard });
  const trained = (pages: readonly number[], base: Float32Array | undefined): TrainedUpdate => {
    const delta = Float32Array.from(
      { length: range.length },
      (_, i) => ((i % 97) - 48) * 1e-4 + (base ? 1e-5 : 0),
    );
    const { compressed, errorFeedback: after } = compress(delta);
    const bytes = encode(compressed);
    return {
      pages,
      modelHash: base ? modelHash({ parameters: base }) : thetaHash,
      delta,
      losses: [5.5, 5.0, 4.6],
      compressed,
      errorFeedback: after,
      bytes,
      digest: digestUpdate(bytes),
    };
  };
  const assignment = { pages: [3, 0, 8, 5], shard, seed: `0x${'11'.repeat(32)}` as const };

  return {
    window,
    uid,
    assignment,
    shardRange: range,
    hyperparameters: h,
    parameterCount,
    trainPageCount: 50,
    parameters: theta,
    modelHash: thetaHash,
    staleModel: parameters.staleModel,
    previous: parameters.previous,
    deadline: parameters.deadline ?? head + 10,
    chain: {
      blockNumber: () => Promise.resolve(head),
      waitForBlock: ({ block }) => {
        head = Math.max(head, block);
        return Promise.resolve(head);
      },
      commitments: ({ window: asked }) =>
        Promise.resolve(commitments.filter((c) => c.window === asked && c.block <= head)),
    },
    logger: silentLogger,
    signal: new AbortController().signal,
    random: () => random.next(),
    randomBytes: (length) => random.bytes(length),
    train(choice = {}) {
      trainCalls.push({ ...choice });
      return Promise.resolve(trained(choice.pages ?? assignment.pages, choice.base));
    },
    compress,
    encode,
    download(uri) {
      const bytes = parameters.files?.get(uri);
      return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no file at ${uri}`));
    },
    trainCalls,
    honestUpdate: () => trained(assignment.pages, undefined),
    head: () => head,
  };
}
