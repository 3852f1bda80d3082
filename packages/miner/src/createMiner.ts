import { join } from 'node:path';
import {
  assignWork,
  checkRunTiming,
  createModel,
  createModelSync,
  createPhaseClock,
  createRandom,
  deadlineOfWindow,
  isRetryable,
  parameterCount as countParameters,
  parseModelConfig,
  sleep,
  startBlockOfWindow,
  watchAccountMetrics,
  windowOfBlock,
} from '@tessera/core';
import type {
  Common,
  Corpus,
  Hex32,
  Hyperparameters,
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
import { MinerError } from './errors/miner.js';
import { honest } from './strategies/honest.js';
import { checkMinerFit } from './window/checkMinerFit.js';
import { commitSubmission } from './window/commitSubmission.js';
import { createStrategyContext } from './window/createStrategyContext.js';
import { declareMinerMetrics } from './window/minerMetrics.js';
import { syncWindow } from './window/syncWindow.js';
import type { PreviousSubmission, Strategy } from './strategies/types.js';

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
 * ratio, commit block, seconds per phase: sync, train, commit) and the `tessera_miner_*` metrics: `windows_total{result}`,
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
  checkMinerFit({ config, corpus, h, marginBlocks, downloadTimeoutMs, pollMs });

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
  const metrics = declareMinerMetrics(common.metrics);
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

  /** Works one window (docs/roles.md, Miner); returns once it is committed, skipped or lost. */
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

    // 1. θ_w, and the error feedback of the windows the sync passed.
    status.state = 'syncing';
    const clock = createPhaseClock();
    const synced = await syncWindow({ sync, feedback, logger, signal, window, lastRestoredWindow });
    clock.lap('sync');
    if (!synced.synced) {
      tally('out-of-sync');
      return waitForWindow(timing, window + 1);
    }
    lastRestoredWindow = synced.lastRestoredWindow;
    // Only the look-back strategies need the previous model; the honest miner does not keep
    // a second copy of the parameters.
    if (strategy !== honest && synced.before !== undefined) lastHeld = synced.before;

    // 2. Time enough left, and not committed already.
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

    // 3, 4. The assignment; the strategy trains and compresses (honest: trainWindowUpdate).
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
    const { buffer: errorFeedback } = await feedback.load({ shard: assignment.shard });
    const thetaHash = sync.hash;
    const { context, beforeSendOf } = createStrategyContext({
      chain,
      router,
      corpus,
      hyperparameters: h,
      model,
      window,
      uid,
      deadline,
      assignment,
      theta: sync.parameters,
      thetaHash,
      errorFeedback,
      staleModel: lastHeld,
      previous,
      metrics,
      logger,
      signal,
      random,
      downloadTimeoutMs,
      waitOptions,
      onWait: (waiting) => (status.state = waiting ? 'waiting' : 'training'),
    });
    const submission = await strategy(context);
    clock.lap('train');
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

    // 5. Hold the bytes for release after the deadline, commit.
    const outcome = await commitSubmission({
      chain,
      store,
      releases,
      metrics,
      logger,
      signal,
      waitOptions,
      window,
      uid,
      deadline,
      submission,
      thetaHash,
      strategyName,
      onState: (state) => (status.state = state),
    });
    clock.lap('commit');
    if (outcome.status !== 'committed') {
      tally('rejected');
      return waitForWindow(timing, window + 1);
    }
    const { receipt, bytes } = outcome;
    const shardLength = context.shardRange.length;
    if (outcome.uploaded && bytes !== undefined) {
      metrics.updateBytes.set(bytes);
      metrics.uploadedBytes.inc(bytes);
      metrics.compressionRatio.set((4 * shardLength) / bytes);
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

    const ratio = bytes === undefined ? undefined : (4 * shardLength) / bytes;
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
      phases: clock.seconds(),
      ...(submission.note === undefined ? {} : { note: submission.note }),
    });
    return waitForWindow(timing, window + 1);
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
    // The account's balance and stake on a clock of their own, stopped with the loop.
    const stopping = new AbortController();
    const watchers = { signal: AbortSignal.any([signal, stopping.signal]) };
    const stopWatchers = () => stopping.abort();
    const watching = watchAccountMetrics({ chain, metrics: common.metrics, logger, signal: watchers.signal });
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
      stopWatchers();
      await watching;
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
