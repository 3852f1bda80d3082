import { join } from 'node:path';
import {
  NonRetryableChainError,
  assignWork,
  buildBatches,
  checkRunTiming,
  compressUpdate,
  createModel,
  createModelSync,
  createRandom,
  deadlineOfWindow,
  digestUpdate,
  encodeUpdate,
  getParameters,
  isRetryable,
  isSyncError,
  modelHash,
  parameterCount as countParameters,
  parseModelConfig,
  setParameters,
  shardRange as rangeOfShard,
  sleep,
  startBlockOfWindow,
  trainInnerSteps,
  windowOfBlock,
} from '@tessera/core';
import type {
  Common,
  CompressedUpdate,
  Corpus,
  Hex32,
  Hyperparameters,
  Metrics,
  Model,
  ModelConfig,
  ModelSync,
  StoreRouter,
  SubnetChain,
  SubnetTiming,
  UpdateStore,
} from '@tessera/core';
import { createErrorFeedbackStore } from './createErrorFeedbackStore.js';
import { createReleaseQueue } from './createReleaseQueue.js';
import type { SealedUpdate } from './createReleaseQueue.js';
import { MinerError } from './errors/miner.js';
import { settleErrorFeedback } from './settleErrorFeedback.js';
import { honest } from './strategies/honest.js';
import type {
  PreviousSubmission,
  Strategy,
  StrategyContext,
  Submission,
  TrainChoice,
  TrainedUpdate,
} from './strategies/types.js';

/** Parameters of {@link createMiner}. */
export type CreateMinerParameters = {
  /** The process's logger, registry (`tessera_miner`) and shutdown: `run()` stops when its signal aborts; `kill()` waits for the current step to end. */
  common: Common;
  /** The chain, signing with the miner's hotkey (which must be registered). */
  chain: SubnetChain;
  /** Where the miner puts its updates (file, S3, or an update server's store). */
  store: UpdateStore;
  /** Reads other URIs: the updates of aggregation sets, checkpoints, other miners' updates. */
  router: Pick<StoreRouter, 'get'>;
  /** The corpus, paged with `hyperparameters.pageTokens` tokens. */
  corpus: Corpus;
  /** The run's hyperparameters (the run config). */
  hyperparameters: Hyperparameters;
  /** The model preset the run config names. */
  modelConfig: ModelConfig;
  /**
   * What the miner uploads each window. The product miner is {@link honest}; the devnet and
   * the gauntlet pass the cheaters of `@tessera/gauntlet`.
   * @default honest
   */
  strategy?: Strategy | undefined;
  /** The strategy's name in logs and {@link MinerStatus}. @default the function's name, else 'custom' */
  strategyName?: string | undefined;
  /** Folder for the error-feedback buffers; a restart with the same folder resumes them. */
  stateDir: string;
  /**
   * Skip a window when, once the model is in sync, this many blocks or fewer are left before
   * its deadline (there would be no time to train, upload and commit).
   * @default 2
   */
  marginBlocks?: number | undefined;
  /** Milliseconds between polls of the chain's head. @default the chain's own */
  pollMs?: number | undefined;
  /** Time limit of one download, in milliseconds. @default 30000 */
  downloadTimeoutMs?: number | undefined;
  /** The model sync to use. @default createModelSync over `chain` and `router` */
  sync?: ModelSync | undefined;
};

/** What the miner is doing. */
export type MinerState =
  'idle' | 'starting' | 'syncing' | 'training' | 'uploading' | 'committing' | 'waiting' | 'stopped';

/** A snapshot of the miner for status pages and tests. */
export type MinerStatus = {
  state: MinerState;
  strategy: string;
  uid: number | undefined;
  /** The window being worked on, or the last one. */
  window: number | undefined;
  /** The window whose model the sync holds. */
  syncedWindow: number;
  /** `modelHash` of that model. */
  modelHash: Hex32;
  lastCommittedWindow: number | undefined;
  /** Windows committed since start. */
  committed: number;
  /** Windows skipped: too little time left, nothing to send, or already committed. */
  skipped: number;
  /** Commitments the chain refused (after the deadline, for instance). */
  rejected: number;
  /** Windows lost to an error. */
  failed: number;
  /** Last inner loss of the last trained window. */
  lastLoss: number | undefined;
  lastError: string | undefined;
};

/** A miner; see {@link createMiner}. */
export type Miner = {
  /**
   * Mines window after window until `common.shutdown.signal` aborts, then resolves. Errors
   * within a window are logged and counted and the miner goes on with the next one.
   *
   * @throws MinerError `not-registered` at start (and if the uid is lost), `already-running`;
   *   TimingMismatchError at start when the run config's timing is not the chain's.
   */
  run(): Promise<void>;
  /** What the miner is doing now and has done since it started. */
  status(): MinerStatus;
};

/**
 * Creates a miner: each window it brings its model to θ_w with the model sync, works out its
 * assignment from the block hash at the window's start, lets its strategy build the update
 * (the honest one: `innerSteps` AdamW steps on the assigned pages, Δ on its shard, top-k
 * with error feedback, quantized, encoded), uploads it, and commits it before the deadline.
 *
 * The error-feedback buffers live in `stateDir` and are saved atomically once a commitment
 * lands, together with the buffer as it was before sending; once the sync has followed the
 * window's aggregate, a miner its set leaves out goes back to that pre-send buffer, so what
 * it sent goes out again (`settleErrorFeedback`). A restart resumes both; the miner then
 * picks up at the current window (a window the chain already holds its commitment for is
 * skipped). At shutdown the current step finishes or is abandoned between steps; nothing is
 * left half written.
 *
 * Progress: one log line per window (window, inner loss first→last, bytes, compression
 * ratio, commit block) and the `tessera_miner_*` metrics: `windows_total{result}`,
 * `window`, `inner_loss{at}`, `update_bytes`, `uploaded_bytes_total`, `compression_ratio`,
 * `training_seconds`, `commit_seconds`, `commit_blocks_before_deadline`, plus the sync's.
 *
 * The caller selects the TensorFlow.js backend first (`selectBackend`).
 *
 * @returns The miner; call `run()`.
 * @throws MinerError `config-mismatch` when the model config, corpus and hyperparameters do
 *   not fit together; `invalid-parameter` for a bad option.
 * @example
 * await selectBackend({ logger });
 * const miner = createMiner({ common, chain, store, router, corpus, hyperparameters, modelConfig, stateDir });
 * await miner.run(); // until shutdown
 */
export function createMiner(parameters: CreateMinerParameters): Miner {
  const { common, chain, store, router, corpus, hyperparameters: h, stateDir } = parameters;
  const config = parseModelConfig({ config: parameters.modelConfig });
  const logger = common.logger;
  const { signal } = common.shutdown;
  const strategy = parameters.strategy ?? honest;
  const strategyName = parameters.strategyName ?? (strategy.name || 'custom');
  const marginBlocks = parameters.marginBlocks ?? 2;
  const downloadTimeoutMs = parameters.downloadTimeoutMs ?? 30_000;
  const pollMs = parameters.pollMs;
  checkFit({ config, corpus, h, marginBlocks, downloadTimeoutMs, pollMs });

  const count = countParameters({ config });
  const sync =
    parameters.sync ??
    createModelSync({
      chain,
      router,
      hyperparameters: h,
      modelConfig: config,
      logger: logger.child({ part: 'sync' }),
      metrics: common.metrics,
      downloadTimeoutMs,
      ...(pollMs === undefined ? {} : { pollMs }),
    });
  const feedback = createErrorFeedbackStore({
    dir: stateDir,
    runSeed: h.runSeed,
    parameterCount: count,
    shards: h.shards,
    logger,
  });
  const random = createRandom();
  const metrics = declareMetrics(common.metrics);
  const waitOptions = pollMs === undefined ? {} : { pollMs };

  const status: Omit<MinerStatus, 'syncedWindow' | 'modelHash'> = {
    state: 'idle',
    strategy: strategyName,
    uid: undefined,
    window: undefined,
    lastCommittedWindow: undefined,
    committed: 0,
    skipped: 0,
    rejected: 0,
    failed: 0,
    lastLoss: undefined,
    lastError: undefined,
  };
  let running = false;
  let previous: PreviousSubmission | undefined;
  let lastHeld: { window: number; parameters: Float32Array; hash: Hex32 } | undefined;
  // The last window whose error-feedback send was restored (settleErrorFeedback); in memory
  // only, so a restart may restore once more in a row, no more.
  let lastRestoredWindow: number | undefined;

  const tally = (result: 'committed' | 'skipped' | 'rejected' | 'failed' | 'out-of-sync') => {
    metrics.windows.inc({ result });
    if (result === 'committed') status.committed++;
    else if (result === 'skipped') status.skipped++;
    else if (result === 'rejected') status.rejected++;
    else status.failed++;
  };

  const waitForWindow = async (timing: SubnetTiming, window: number) => {
    status.state = 'waiting';
    await chain.waitForBlock({ block: startBlockOfWindow({ ...timing, window }), signal, ...waitOptions });
  };

  /** Works one window; returns once it is committed, skipped or lost. */
  const mineWindow = async (timing: SubnetTiming, uid: number, model: Model): Promise<void> => {
    const head = await chain.blockNumber();
    // Before the subnet starts there is nothing to train for: wait for window 0.
    if (head < timing.startBlock) return waitForWindow(timing, 0);
    const window = windowOfBlock({ ...timing, block: head });
    if (status.lastCommittedWindow !== undefined && window <= status.lastCommittedWindow) {
      return waitForWindow(timing, status.lastCommittedWindow + 1);
    }
    status.window = window;
    metrics.window.set(window);

    status.state = 'syncing';
    const before = { window: sync.window, parameters: sync.parameters, hash: sync.hash };
    try {
      await sync.advanceTo({ window, signal });
    } catch (error) {
      if (signal.aborted || !isSyncError(error) || error.retryable) throw error;
      logger.warn('model out of sync, starting over from the latest checkpoint', {
        window,
        reason: error.reason,
        error,
      });
      sync.reset();
      tally('out-of-sync');
      return waitForWindow(timing, window + 1);
    }
    // Only the look-back strategies need the previous model; the honest miner does not keep
    // a second copy of the parameters.
    if (strategy !== honest && before.window < sync.window && before.hash !== sync.hash) lastHeld = before;
    // The aggregates just followed say whether the updates committed before are in θ_w.
    const settled = await settleErrorFeedback({ feedback, sync, logger, lastRestoredWindow });
    lastRestoredWindow = settled.findLast((send) => send.result === 'restored')?.window ?? lastRestoredWindow;

    const now = await chain.blockNumber();
    const deadline = deadlineOfWindow({ ...timing, window });
    const nextStart = startBlockOfWindow({ ...timing, window: window + 1 });
    if (now >= nextStart || deadline - now <= marginBlocks) {
      logger.info('window skipped: too little time left', {
        window,
        blocksLeft: deadline - now,
        marginBlocks,
      });
      tally('skipped');
      return waitForWindow(timing, window + 1);
    }
    if ((await chain.commitments({ window })).some((commitment) => commitment.uid === uid)) {
      logger.info('window already committed', { window });
      status.lastCommittedWindow = window;
      tally('skipped');
      return waitForWindow(timing, window + 1);
    }

    status.state = 'training';
    const started = performance.now();
    const blockHash = await chain.blockHash(startBlockOfWindow({ ...timing, window }));
    const assignment = assignWork({
      runSeed: h.runSeed,
      window,
      uid,
      blockHash,
      trainPageCount: corpus.trainPageCount,
      pagesPerWindow: h.pagesPerWindow,
      shards: h.shards,
    });
    const range = rangeOfShard({ parameterCount: count, shards: h.shards, shard: assignment.shard });
    const { buffer: errorFeedback } = await feedback.load({ shard: assignment.shard });
    const theta = sync.parameters;
    const thetaHash = sync.hash;

    // Each post-send buffer `compress` hands out → the buffer before its send was taken out.
    const beforeSendOf = new WeakMap<Float32Array, Float32Array>();
    const compress = (delta: Float32Array) => {
      const buffer = Float32Array.from(errorFeedback);
      // Summed and rounded to float32 as compressUpdate sums them: bit for bit its accumulator.
      const beforeSend = buffer.map((value, i) => value + delta[i]!);
      beforeSendOf.set(buffer, beforeSend);
      const compressed = compressUpdate({
        delta,
        errorFeedback: buffer,
        chunkSize: h.chunkSize,
        topK: h.topK,
        bits: h.quantBits,
      });
      return { compressed, errorFeedback: buffer };
    };
    const encode = (compressed: CompressedUpdate) =>
      encodeUpdate({
        ...compressed,
        window,
        parameterCount: count,
        shards: h.shards,
        shard: assignment.shard,
      });
    const trainFrom = async (choice: TrainChoice): Promise<TrainedUpdate> => {
      const pages = choice.pages ?? assignment.pages;
      const base = choice.base;
      const start = base ?? theta;
      setParameters({ model, parameters: start });
      const batches = buildBatches({
        pages: [
          ...pages.map((page) => corpus.getPage(page)),
          ...(choice.heldOutPages ?? []).map((page) => corpus.getHeldOutPage(page)),
        ],
        batchSize: h.batchSize,
      });
      const trainingStarted = performance.now();
      const { losses } = await trainInnerSteps({
        model,
        batches,
        steps: Math.max(1, Math.floor(choice.steps ?? h.innerSteps)),
        learningRate: h.innerLearningRate,
        weightDecay: h.weightDecay,
        signal,
      });
      metrics.trainingSeconds.observe((performance.now() - trainingStarted) / 1000);
      const local = getParameters({ model });
      const delta = new Float32Array(range.length);
      for (let i = 0; i < range.length; i++) delta[i] = start[range.offset + i]! - local[range.offset + i]!;
      const { compressed, errorFeedback: after } = compress(delta);
      const bytes = encode(compressed);
      return {
        pages,
        modelHash: base === undefined ? thetaHash : modelHash({ parameters: base }),
        delta,
        losses,
        compressed,
        errorFeedback: after,
        bytes,
        digest: digestUpdate(bytes),
      };
    };
    let honestRun: Promise<TrainedUpdate> | undefined;
    const context: StrategyContext = {
      window,
      uid,
      assignment,
      shardRange: range,
      hyperparameters: h,
      parameterCount: count,
      trainPageCount: corpus.trainPageCount,
      parameters: theta,
      modelHash: thetaHash,
      staleModel: lastHeld,
      previous,
      deadline,
      chain: {
        blockNumber: () => chain.blockNumber(),
        commitments: (choice) => chain.commitments(choice),
        // A strategy waiting for the chain (copycat, sybil) shows as waiting, not training.
        async waitForBlock(choice) {
          status.state = 'waiting';
          try {
            return await chain.waitForBlock({ ...waitOptions, ...choice });
          } finally {
            status.state = 'training';
          }
        },
      },
      logger,
      signal,
      random: () => random.next(),
      randomBytes: (length) => random.bytes(length),
      train(choice = {}) {
        const asAssigned = Object.values(choice).every((value) => value === undefined);
        return asAssigned ? (honestRun ??= trainFrom({})) : trainFrom(choice);
      },
      compress,
      encode,
      download: (uri) =>
        router.get({ uri, maxBytes: h.maxUpdateBytes, timeoutMs: downloadTimeoutMs, signal }),
    };

    const submission = await strategy(context);
    if (submission === undefined) {
      logger.info('window skipped: the strategy sent nothing', { window, strategy: strategyName });
      tally('skipped');
      return waitForWindow(timing, window + 1);
    }
    const losses = submission.losses ?? [];
    if (losses.length > 0) {
      metrics.innerLoss.set({ at: 'first' }, losses[0]!);
      metrics.innerLoss.set({ at: 'last' }, losses[losses.length - 1]!);
      status.lastLoss = losses[losses.length - 1];
    }

    status.state = 'committing';
    const { digest, uri, bytes, sealed } = prepareUpload(submission, window, uid, deadline);
    if (sealed !== undefined) await releases.hold({ update: sealed, bytes: submission.bytes! });

    if (submission.commitAtBlock !== undefined) {
      status.state = 'waiting';
      await chain.waitForBlock({ block: submission.commitAtBlock, signal, ...waitOptions });
    }
    status.state = 'committing';
    const commitStarted = performance.now();
    let receipt;
    try {
      const outcome = await chain.commit({
        window,
        digest,
        uri,
        modelHash: submission.modelHash ?? thetaHash,
      });
      if (outcome.status === 'already-committed') {
        if (sealed !== undefined) await releases.drop(sealed);
        logger.warn('the chain already holds a commitment of this uid for the window', { window });
        tally('rejected');
        return waitForWindow(timing, window + 1);
      }
      receipt = outcome.receipt;
    } catch (error) {
      if (sealed !== undefined) await releases.drop(sealed);
      if (error instanceof NonRetryableChainError && error.reason === 'not-registered') {
        throw new MinerError('not-registered', 'The hotkey lost its uid (pruned?).', { cause: error });
      }
      if (error instanceof NonRetryableChainError && error.reason === 'rejected') {
        logger.warn('commitment rejected by the chain', { window, chainCode: error.chainCode, error });
        tally('rejected');
        return waitForWindow(timing, window + 1);
      }
      throw error;
    }
    metrics.commitSeconds.observe((performance.now() - commitStarted) / 1000);
    if (sealed !== undefined && bytes !== undefined) {
      releases.release(sealed);
      metrics.updateBytes.set(bytes);
      metrics.uploadedBytes.inc(bytes);
      metrics.compressionRatio.set((4 * range.length) / bytes);
    }
    metrics.blocksBeforeDeadline.set(deadline - receipt.block);
    status.lastCommittedWindow = window;
    tally('committed');
    // The commitment landed: the buffer it leaves behind is the one to carry on with, unless
    // the window's aggregate leaves the update out; until then the pre-send buffer is kept
    // too. A buffer the strategy made itself, not by `compress`, stands as it is.
    if (submission.errorFeedback !== undefined) {
      const beforeSend = beforeSendOf.get(submission.errorFeedback);
      await feedback.save({
        shard: assignment.shard,
        window,
        buffer: submission.errorFeedback,
        sent: beforeSend === undefined ? undefined : { uid, beforeSend },
      });
    }
    if (submission.compressed !== undefined)
      previous = { window, shard: assignment.shard, compressed: submission.compressed };

    const ratio = bytes === undefined ? undefined : (4 * range.length) / bytes;
    logger.info('window committed', {
      window,
      uid,
      strategy: strategyName,
      loss:
        losses.length > 0 ? `${losses[0]!.toFixed(3)}→${losses[losses.length - 1]!.toFixed(3)}` : undefined,
      bytes,
      ratio: ratio === undefined ? undefined : Number(ratio.toFixed(1)),
      block: receipt.block,
      blocksBeforeDeadline: deadline - receipt.block,
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      ...(submission.note === undefined ? {} : { note: submission.note }),
    });
    return waitForWindow(timing, window + 1);
  };

  /**
   * Settles the digest and URI to commit. Bytes the miner sends itself are not uploaded
   * before the deadline: their URI is the one the store will hand out for them, and the
   * release queue uploads them once the deadline has passed (`createReleaseQueue`).
   */
  const prepareUpload = (submission: Submission, window: number, uid: number, deadline: number) => {
    const { bytes } = submission;
    let uri = submission.uri;
    let sealed: SealedUpdate | undefined;
    if (bytes !== undefined && uri === undefined) {
      const key = `w${String(window).padStart(6, '0')}/uid-${uid}.tsu`;
      uri = store.uriOf({ key });
      sealed = { window, deadline, key, uri };
    }
    const digest = submission.digest ?? (bytes === undefined ? undefined : digestUpdate(bytes));
    if (uri === undefined || digest === undefined) {
      throw new MinerError(
        'invalid-parameter',
        'The strategy gave neither bytes nor a digest and URI to commit.',
        {
          details: `strategy ${strategyName}, window ${window}`,
        },
      );
    }
    return { digest, uri, bytes: bytes?.length, sealed };
  };
  const releases = createReleaseQueue({
    dir: join(stateDir, 'sealed'),
    store,
    chain,
    logger,
    signal,
    pollMs,
  });
  const loop = async () => {
    status.state = 'starting';
    const uid = await chain.uidOf();
    if (uid === undefined) {
      throw new MinerError('not-registered', 'This hotkey has no uid on the subnet.', {
        details: `hotkey ${chain.address}`,
        hint: 'Register first: tessera register --role miner',
      });
    }
    status.uid = uid;
    const timing = await chain.timing();
    checkRunTiming({ hyperparameters: h, timing });
    logger.info('miner started', {
      uid,
      hotkey: chain.address,
      strategy: strategyName,
      model: config.name,
      parameters: count,
      shards: h.shards,
      store: store.kind,
    });
    // Updates committed before a restart and not uploaded yet go up once their deadline passed.
    await releases.resume();
    const model = createModel({ config, parameters: sync.parameters });
    let backoffMs = 1000;
    try {
      while (!signal.aborted) {
        try {
          await mineWindow(timing, uid, model);
          backoffMs = 1000;
        } catch (error) {
          if (signal.aborted) break;
          if (error instanceof MinerError) throw error;
          status.lastError = error instanceof Error ? error.message.split('\n')[0] : String(error);
          tally('failed');
          logger.error('window failed', { window: status.window, retryable: isRetryable(error), error });
          await sleep(backoffMs, signal).catch(() => undefined);
          backoffMs = Math.min(backoffMs * 2, 30_000);
        }
      }
    } finally {
      model.dispose();
    }
  };

  return {
    async run() {
      if (running) throw new MinerError('already-running', 'run() is already running.');
      running = true;
      const done = loop();
      common.shutdown.add(() => done.catch(() => undefined));
      common.shutdown.add(() => releases.idle());
      try {
        await done;
        logger.info('miner stopped', { committed: status.committed, skipped: status.skipped });
      } finally {
        status.state = 'stopped';
        running = false;
      }
    },
    status: () => ({ ...status, syncedWindow: sync.window, modelHash: sync.hash }),
  };
}

function declareMetrics(metrics: Metrics) {
  return {
    windows: metrics.counter<'result'>({
      name: 'windows_total',
      help: 'Windows the miner finished, by result: committed, skipped, rejected, failed, out-of-sync.',
      labelNames: ['result'],
    }),
    window: metrics.gauge({ name: 'window', help: 'Window the miner is working on.' }),
    innerLoss: metrics.gauge<'at'>({
      name: 'inner_loss',
      help: 'Inner training loss of the last trained window, at its first and last step (nats per token).',
      labelNames: ['at'],
    }),
    updateBytes: metrics.gauge({ name: 'update_bytes', help: 'Size of the last uploaded update, in bytes.' }),
    uploadedBytes: metrics.counter({ name: 'uploaded_bytes_total', help: 'Update bytes uploaded.' }),
    compressionRatio: metrics.gauge({
      name: 'compression_ratio',
      help: 'Float32 size of the shard over the size of the last uploaded update.',
    }),
    trainingSeconds: metrics.histogram({
      name: 'training_seconds',
      help: 'Time of the inner training loop of one window, in seconds.',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    }),
    commitSeconds: metrics.histogram({
      name: 'commit_seconds',
      help: 'Time from sending a commitment to its inclusion, in seconds.',
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    }),
    blocksBeforeDeadline: metrics.gauge({
      name: 'commit_blocks_before_deadline',
      help: 'Blocks between the last commitment and its window’s deadline.',
    }),
  };
}

function checkFit(parameters: {
  config: ModelConfig;
  corpus: Corpus;
  h: Hyperparameters;
  marginBlocks: number;
  downloadTimeoutMs: number;
  pollMs: number | undefined;
}): void {
  const { config, corpus, h } = parameters;
  const problems: string[] = [];
  if (config.name !== h.modelPreset)
    problems.push(`model config "${config.name}" but the run uses preset "${h.modelPreset}"`);
  if (corpus.tokenizer.vocabSize !== config.vocabSize) {
    problems.push(`corpus vocabulary ${corpus.tokenizer.vocabSize}, model vocabulary ${config.vocabSize}`);
  }
  if (corpus.pageTokens !== h.pageTokens)
    problems.push(`corpus pages of ${corpus.pageTokens} tokens, run pages of ${h.pageTokens}`);
  if (h.pageTokens > config.contextLength)
    problems.push(`pages of ${h.pageTokens} tokens exceed the context of ${config.contextLength}`);
  if (h.pagesPerWindow > corpus.trainPageCount) {
    problems.push(`${h.pagesPerWindow} pages per window, the corpus has ${corpus.trainPageCount}`);
  }
  if (problems.length > 0) {
    throw new MinerError('config-mismatch', 'The model, the corpus and the run config do not fit together.', {
      metaMessages: problems.map((problem) => `  ${problem}`),
      hint: 'Build the model from the run config’s preset and the corpus with its pageTokens and the model’s vocabSize.',
    });
  }
  const bad: string[] = [];
  if (!Number.isSafeInteger(parameters.marginBlocks) || parameters.marginBlocks < 0)
    bad.push(`marginBlocks: ${parameters.marginBlocks}`);
  if (!Number.isSafeInteger(parameters.downloadTimeoutMs) || parameters.downloadTimeoutMs < 1) {
    bad.push(`downloadTimeoutMs: ${parameters.downloadTimeoutMs}`);
  }
  if (
    parameters.pollMs !== undefined &&
    !(Number.isSafeInteger(parameters.pollMs) && parameters.pollMs >= 1)
  ) {
    bad.push(`pollMs: ${parameters.pollMs}`);
  }
  if (bad.length > 0) {
    throw new MinerError('invalid-parameter', 'Invalid miner options.', {
      metaMessages: bad.map((line) => `  ${line}`),
    });
  }
}
