import {
  createModel,
  createModelSync,
  createPhaseClock,
  heldOutBatches,
  isRetryable,
  isSyncError,
  sleep,
  watchAccountMetrics,
} from '@tessera/core';
import type {
  Common,
  Corpus,
  Hyperparameters,
  Model,
  ModelConfig,
  ModelSync,
  StoreRouter,
  SubnetChain,
  TokenBatch,
  UpdateStore,
} from '@tessera/core';
import { checkRunTiming } from '@tessera/core';
import { createBlockTimer } from './createBlockTimer.js';
import { createEvaluationQueue } from './createEvaluationQueue.js';
import { createEvaluationWorker } from './createEvaluationWorker.js';
import type { EvaluationWorker } from './createEvaluationWorker.js';
import { createRedisConnection } from './createRedisConnection.js';
import { ValidatorError } from './errors/validator.js';
import { loadEvalSecret } from './loadEvalSecret.js';
import { validatorKeys } from './validatorKeys.js';
import { watchQueueDepth } from './watchQueueDepth.js';
import { buildNextModel } from './window/buildNextModel.js';
import { closeEpoch } from './window/closeEpoch.js';
import { collectVerdicts } from './window/collectVerdicts.js';
import { createModelFiles } from './window/createModelFiles.js';
import type { ModelFiles } from './window/createModelFiles.js';
import { finishWindow } from './window/finishWindow.js';
import { firstWindow } from './window/firstWindow.js';
import { measureReferenceGains } from './window/measureReferenceGains.js';
import { planWindowEvaluations } from './window/planWindowEvaluations.js';
import { prepareWindow } from './window/prepareWindow.js';
import { publishAggregate } from './window/publishAggregate.js';
import { publishCutoff } from './window/publishCutoff.js';
import { readWindowWork } from './window/readWindowWork.js';
import { reportHeldOutLoss } from './window/reportHeldOutLoss.js';
import { scoreWindow } from './window/scoreWindow.js';
import { trainReference } from './window/trainReference.js';
import type { WindowServices } from './window/types.js';
import { declareValidatorMetrics } from './window/validatorMetrics.js';

/** Parameters of {@link createValidator}. */
export type CreateValidatorParameters = {
  /** The process's logger, registry (`tessera_validator`) and shutdown: `run()` stops when its signal aborts. */
  common: Common;
  /** Signs aggregates, checkpoints, weights and settlements with the validator's hotkey. */
  chain: SubnetChain;
  /** The Redis the queue, the workers and the scores live in, as a `redis://` URL. */
  redis: string;
  /** The validator's own store: θ_w checkpoints for the workers, θ_{w+1} behind each aggregate. */
  store: UpdateStore;
  /** Reads miners' update URIs (and checkpoints when rebuilding θ). */
  router: StoreRouter;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  /** The run's model config; its name must be `hyperparameters.modelPreset`. */
  modelConfig: ModelConfig;
  /** Folder for the validator's evaluation secret (`eval-secret`). */
  stateDir: string;
  /**
   * Evaluation workers run inside this process (each with its own model); 0 leaves all
   * evaluation to `tessera worker` processes on the same Redis. Call `selectBackend` first
   * when it is above 0. @default 1
   */
  inProcessWorkers?: number | undefined;
  /**
   * Names the subnet in Redis keys, so validators of several subnets can share a Redis.
   * @default the chain's `subnetId` (`evm:<chainId>:<address>`, `subtensor:<genesis>:<netuid>`)
   */
  subnet?: string | undefined;
  /** 32 secret bytes behind the evaluation pages. @default read from (or created in) `<stateDir>/eval-secret` */
  evalSecret?: Uint8Array | undefined;
  /**
   * Holds θ_w, following the chain's lead aggregates and checkpoints.
   * @default createModelSync({ chain, router, hyperparameters, modelConfig, logger, metrics })
   */
  sync?: ModelSync | undefined;
  /**
   * Longest one update download may take, in milliseconds. Each window's downloads get half
   * the time left before the publish cutoff (`fetchBudget`), at most this. @default 30000
   */
  fetchTimeoutMs?: number | undefined;
  /**
   * Milliseconds per block to assume until the validator has watched the chain for a few
   * blocks (it measures the block time itself from then on). @default 12000
   */
  blockTimeMs?: number | undefined;
  /** Downloads each in-process worker runs at once; see `createEvaluationWorker`. @default 16 */
  downloads?: number | undefined;
  /** Job lock of the in-process workers; see `createEvaluationWorker`. @default 30000 */
  lockMs?: number | undefined;
  /**
   * Blocks before window w+2 starts at which the loop stops waiting for w's evaluations
   * (unfinished ones count as `missing:late`) and publishes, so the aggregate lands in time.
   * @default max(1, floor(blocksPerWindow / 5))
   */
  publishMarginBlocks?: number | undefined;
  /**
   * Milliseconds between looks while evaluations run when no job reports: verdicts come on
   * BullMQ's events; the head is read every 4 of these and every pending job every 20 (a
   * safety net for missed events). @default 250
   */
  pollMs?: number | undefined;
  /**
   * The short greedy sample of each window's model written beside its held-out loss, which the
   * dashboard shows; `maxTokens` 0 writes none. @default { prompt: 'The', maxTokens: 24 }
   */
  sample?: { prompt: string; maxTokens: number } | undefined;
  /** Attempts per evaluation job. @default 3 */
  attempts?: number | undefined;
  /** First retry delay of a job, doubled each time, in milliseconds. @default 2000 */
  backoffMs?: number | undefined;
};

/** Where the validator stands, for logs, health checks and tests. */
export type ValidatorStatus = {
  phase: 'idle' | 'starting' | 'waiting' | 'evaluating' | 'publishing' | 'stopped' | 'failed';
  /** The validator's uid, once known. */
  uid: number | undefined;
  /** The window in hand (θ of it held). */
  window: number | undefined;
  /** `modelHash` of θ of `window`. */
  modelHash: `0x${string}` | undefined;
  /** The last window fully processed. */
  lastWindow: number | undefined;
  /** Verdicts of the last window processed, counted by status. */
  lastVerdicts: { scored: number; rejected: number } | undefined;
  /** The Redis prefix of this validator's keys and queue (workers need it). */
  redisPrefix: string | undefined;
};

/** A validator: run its window loop, watch its status. */
export type Validator = {
  /** Runs the window loop until `common.shutdown` aborts; rejects on an error no retry can cure. */
  run(): Promise<void>;
  status(): ValidatorStatus;
};

/**
 * Creates a validator: the window loop of docs/roles.md over a BullMQ evaluation queue.
 *
 * For each window w: wait for `deadline(w)`; follow the chain's aggregate for w−1 so θ_w is
 * the one miners hold; write θ_w to the store (and publish it as a checkpoint every K
 * windows); read the commitments, set duplicates aside, enqueue one job per remaining
 * commitment (`w-<w>-uid-<uid>`); wait for the verdicts until shortly before window w+2
 * starts (unfinished ones count as `missing:late`); fold every miner's score into its moving
 * average once (an atomic Redis script guarded by the `applied` set); pick the G best
 * positive scores, compute θ_{w+1} with `aggregateUpdates`, upload it and publish the
 * aggregate (an empty set too: the contract accepts it), and hand θ_{w+1} to the model sync
 * (`sync.offer`) so it is not rebuilt at the next window. After the last window of an epoch,
 * set weights once (guarded in Redis, so a restart never sets them twice) and settle every
 * finished epoch not yet settled. θ_w comes from core's model sync (the lead aggregates,
 * checkpoints); a restart resumes after Redis's `last-window`, which with the averages, the
 * verdicts and the guards is all the state there is.
 *
 * @example
 * const validator = createValidator({ common, chain, redis: 'redis://127.0.0.1:6379', store, router, corpus, hyperparameters, modelConfig, stateDir });
 * await validator.run();
 */
export function createValidator(parameters: CreateValidatorParameters): Validator {
  const { common, chain, store, router, corpus, hyperparameters: h, modelConfig, stateDir } = parameters;
  const logger = common.logger.child({ role: 'validator' });
  const signal = common.shutdown.signal;
  if (modelConfig.name !== h.modelPreset) {
    throw new ValidatorError('invalid-parameter', 'The model config is not the run config’s preset.', {
      details: `model "${modelConfig.name}", run config "${h.modelPreset}"`,
    });
  }
  if (corpus.pageTokens !== h.pageTokens) {
    throw new ValidatorError('invalid-parameter', 'The corpus is cut into pages of another size.', {
      details: `${corpus.pageTokens} != ${h.pageTokens}`,
    });
  }
  const inProcessWorkers = parameters.inProcessWorkers ?? 1;
  const fetchTimeoutMs = parameters.fetchTimeoutMs ?? 30_000;
  const blockTimer = createBlockTimer({ fallbackMs: parameters.blockTimeMs ?? 12_000 });
  const publishMarginBlocks =
    parameters.publishMarginBlocks ?? Math.max(1, Math.floor(h.blocksPerWindow / 5));
  const metrics = declareValidatorMetrics(common.metrics);
  const sync =
    parameters.sync ??
    createModelSync({ chain, router, hyperparameters: h, modelConfig, logger, metrics: common.metrics });
  const subnet = parameters.subnet ?? chain.subnetId;
  const status: ValidatorStatus = {
    phase: 'idle',
    uid: undefined,
    window: undefined,
    modelHash: undefined,
    lastWindow: undefined,
    lastVerdicts: undefined,
    redisPrefix: undefined,
  };

  /** The model the reference update trains on and copies are rescored on; made at first use. */
  let scoring: Model | undefined;
  /** The model the held-out loss is measured on and the fixed held-out batches; made at first use. */
  let measuring: { model: Model; batches: TokenBatch[] } | undefined;
  const sample = parameters.sample ?? { prompt: 'The', maxTokens: 24 };
  const measuringModel = () =>
    (measuring ??= {
      model: createModel({ config: modelConfig, seed: 0n }),
      batches: heldOutBatches({ corpus, pages: h.heldOutPages, batchSize: h.batchSize }),
    });

  /** One window, the steps of docs/roles.md (Validator, window loop). */
  async function processWindow(services: WindowServices, files: ModelFiles, secret: Uint8Array, w: number) {
    const log = services.logger.child({ window: w });
    const at = { ...services, logger: log, window: w };
    status.window = w;
    status.phase = 'waiting';
    // 1. After the deadline: θ_w from the model sync, the metagraph.
    const clock = createPhaseClock();
    const prepared = await prepareWindow({ ...at, clock });
    if (prepared === undefined) return closeEpoch(at);
    const { deadline, nextStart, theta, thetaHash, miners, permitted } = prepared;
    status.modelHash = thetaHash;
    const thetaUri = await files.put({ window: w, parameters: theta, hash: thetaHash });
    if (permitted && w > 0 && w % h.checkpointEveryWindows === 0)
      await files.publishCheckpoint({ window: w, hash: thetaHash, uri: thetaUri });

    clock.lap('sync');
    status.phase = 'evaluating';
    // 2. Commitments, assignments, the window's secret pages.
    const work = await readWindowWork({ ...at, deadline, miners: miners.map((n) => n.uid), secret });
    // 3. The reference update: ρ and σ by shard.
    const scoringModel = (scoring ??= createModel({ config: modelConfig, seed: 0n }));
    const { reference, normBounds, scoreBounds } = await trainReference({
      ...at,
      model: scoringModel,
      theta,
      pages: work.pages.reference,
    });
    clock.lap('reference');
    // 4. One evaluation job per commitment.
    const cutoffBlock = publishCutoff({ deadline, nextStart, publishMarginBlocks });
    const { jobs, duplicates } = await planWindowEvaluations({
      ...at,
      work,
      scoreBounds,
      normBounds,
      theta: { uri: thetaUri, modelHash: thetaHash },
      cutoffBlock,
      fetchTimeoutMs,
    });
    clock.lap('plan');
    // 5, 6. While the workers evaluate: the reference's gains; θ_w on the held-out pages.
    const windowScoring = { model: scoringModel, theta, thetaHash, lossCache: new Map<string, number>() };
    const referenceGains = await measureReferenceGains({
      ...at,
      scoring: windowScoring,
      reference,
      scoreBounds,
      pages: work.pages,
    });
    if (w > 0)
      await reportHeldOutLoss({
        ...at,
        measuring: measuringModel,
        window: w - 1,
        parameters: theta,
        sample: { ...sample, tokenizer: corpus.tokenizer },
      });
    // 7. The verdicts, as the workers report them, until the publish cutoff.
    const verdicts = await collectVerdicts({
      ...at,
      jobs,
      duplicates,
      cutoffBlock,
      pollMs: parameters.pollMs,
    });
    clock.lap('evaluate');
    // 8. Scores relative to the reference, folded into the averages.
    const { updates, counts } = await scoreWindow({
      ...at,
      scoring: windowScoring,
      work,
      miners,
      jobs,
      verdicts,
      referenceGains,
      normBounds,
      scoreBounds,
    });
    status.lastVerdicts = counts;
    clock.lap('score');
    status.phase = 'publishing';
    // 9, 10. θ_{w+1} once: published with the aggregate, handed to the sync.
    const next = buildNextModel({ ...at, theta, verdicts, updates, normBounds });
    await publishAggregate({ ...at, next, files, permitted });
    clock.lap('aggregate');
    // 11. Weights once per epoch, settlement.
    await closeEpoch({ ...at, permitted });
    clock.lap('epoch');
    // 12. Last, so a crash anywhere above runs this window again on restart.
    await finishWindow({ ...at, uids: jobs.map((job) => job.uid) });
    status.lastWindow = w;
    log.info('window processed', { updates: jobs.length, ...counts, phases: clock.seconds() });
  }

  async function run(): Promise<void> {
    status.phase = 'starting';
    const timing = await chain.timing();
    checkRunTiming({ hyperparameters: h, timing });
    const uid = await chain.uidOf();
    if (uid === undefined) {
      throw new ValidatorError('not-registered', 'This hotkey holds no uid on the subnet.', {
        details: chain.address,
        hint: 'Register it as a validator first (tessera register --role validator).',
      });
    }
    status.uid = uid;
    const keys = validatorKeys({ subnet, hotkey: chain.address });
    status.redisPrefix = keys.prefix;
    const secret = parameters.evalSecret ?? (await loadEvalSecret({ stateDir }));
    const connection = createRedisConnection({ connection: parameters.redis });
    const queue = createEvaluationQueue({
      connection: connection.redis,
      prefix: keys.prefix,
      attempts: parameters.attempts,
      backoffMs: parameters.backoffMs,
    });
    const workers: EvaluationWorker[] = [];
    for (let i = 0; i < inProcessWorkers; i++) {
      workers.push(
        createEvaluationWorker({
          connection: parameters.redis,
          prefix: keys.prefix,
          corpus,
          hyperparameters: h,
          modelConfig,
          router,
          fetchTimeoutMs,
          downloads: parameters.downloads,
          lockMs: parameters.lockMs,
          common: { ...common, logger: logger.child({ worker: i }) },
        }),
      );
    }
    logger.info('validator started', {
      uid,
      hotkey: chain.address,
      redisPrefix: keys.prefix,
      workers: inProcessWorkers,
    });
    const services: WindowServices = {
      chain,
      timing,
      store,
      corpus,
      hyperparameters: h,
      modelConfig,
      redis: connection.redis,
      keys,
      queue,
      sync,
      metrics,
      blockTimer,
      logger,
      signal,
      subnet,
      uid,
    };
    const files = createModelFiles(services);
    // The queue's depth and the account's balance and stake, each on a clock of its own,
    // stopped with the loop however it ends.
    const stopping = new AbortController();
    const watchers = { signal: AbortSignal.any([signal, stopping.signal]) };
    const stopWatchers = () => stopping.abort();
    const watching = [
      watchQueueDepth({ queue, gauge: metrics.evaluationJobs, logger, signal: watchers.signal }),
      watchAccountMetrics({ chain, metrics: common.metrics, logger, signal: watchers.signal }),
    ];
    try {
      let window = await firstWindow(services);
      let failures = 0;
      while (!signal.aborted) {
        try {
          await processWindow(services, files, secret, window);
          window++;
          failures = 0;
        } catch (error) {
          if (signal.aborted) break;
          if (isSyncError(error)) {
            // Without θ_w there is nothing to score against: leave the window out (no one's
            // average moves) and let sync try again at the next one.
            logger.error('window skipped: θ could not be synced', { window, error, reason: error.reason });
            metrics.windows.inc({ outcome: 'unsynced' });
            if (error.reason === 'out-of-sync') sync.reset();
            await closeEpoch({ ...services, logger: logger.child({ window }), window }).catch(
              (closing: unknown) => {
                if (signal.aborted) throw closing;
                logger.warn('epoch not closed after a skipped window', { window, error: closing });
              },
            );
            window++;
            continue;
          }
          if (!isRetryable(error)) throw error;
          failures++;
          const delayMs = Math.min(30_000, 1_000 * 2 ** Math.min(failures, 5));
          logger.warn('window failed, retrying', { window, error, attempt: failures, delayMs });
          await sleep(delayMs, signal);
        }
      }
      status.phase = 'stopped';
    } catch (error) {
      if (signal.aborted) {
        status.phase = 'stopped';
        return;
      }
      status.phase = 'failed';
      throw error;
    } finally {
      measuring?.model.dispose();
      measuring = undefined;
      scoring?.dispose();
      scoring = undefined;
      stopWatchers();
      await Promise.all(watching);
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.close();
      await connection.release();
    }
  }

  return {
    run,
    status: () => ({ ...status, lastVerdicts: status.lastVerdicts && { ...status.lastVerdicts } }),
  };
}
