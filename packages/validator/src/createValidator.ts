import {
  aggregateUpdates,
  createModel,
  createModelSync,
  deadlineOfWindow,
  encodeCheckpoint,
  epochOfWindow,
  heldOutBatches,
  isRetryable,
  isSyncError,
  meanLoss,
  modelHash,
  setParameters,
  shardRange,
  sleep,
  startBlockOfWindow,
  windowMetricsKey,
  windowOfBlock,
} from '@tessera/core';
import type {
  Common,
  Corpus,
  Hyperparameters,
  Logger,
  Model,
  ModelConfig,
  ModelSync,
  Neuron,
  PublishAggregateOutcome,
  StoreRouter,
  SubnetChain,
  SubnetTiming,
  TokenBatch,
  UpdateStore,
} from '@tessera/core';
import { applyWindowScores } from './applyWindowScores.js';
import { checkTiming } from './checkTiming.js';
import { computeWeights } from './computeWeights.js';
import { createBlockTimer } from './createBlockTimer.js';
import { createEvaluationQueue } from './createEvaluationQueue.js';
import type { EvaluationQueue } from './createEvaluationQueue.js';
import { createEvaluationWorker } from './createEvaluationWorker.js';
import type { EvaluationWorker } from './createEvaluationWorker.js';
import { createRedisConnection } from './createRedisConnection.js';
import { deriveEvalSeed } from './deriveEvalSeed.js';
import { drawEvaluationPages } from './drawEvaluationPages.js';
import { fetchBudget } from './fetchBudget.js';
import { measureImprovements } from './evaluateUpdate.js';
import { loadWindowUpdates } from './loadWindowUpdates.js';
import { overNormFactor, windowScore } from './relativeScore.js';
import { rescoreCopies } from './rescoreCopies.js';
import { trainReferenceUpdate } from './trainReferenceUpdate.js';
import { windowAssignments } from './windowAssignments.js';
import { ValidatorError } from './errors/validator.js';
import type { EvaluationResult, RejectionReason } from './evaluateUpdate.js';
import { loadEvalSecret } from './loadEvalSecret.js';
import { planEvaluations } from './planEvaluations.js';
import { readScores } from './readScores.js';
import { selectAggregationSet } from './selectAggregationSet.js';
import { validatorKeys } from './validatorKeys.js';
import type { ValidatorKeys } from './validatorKeys.js';

/**
 * Smallest norm bound ρ a window uses: a reference update that came out as all zeros must
 * not make every update count as nothing-but-zero (a bound of 0 is no bound the protocol
 * allows).
 */
const minimumNormBound = 1e-12;

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
  /** Milliseconds between looks at the queue while evaluations run. @default 250 */
  pollMs?: number | undefined;
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
 * aggregate (an empty set too: the contract accepts it). After the last window of an epoch,
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
  const { shutdown, metrics } = common;
  const logger = common.logger.child({ role: 'validator' });
  const signal = shutdown.signal;
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
  const pollMs = parameters.pollMs ?? 250;
  const publishMarginBlocks =
    parameters.publishMarginBlocks ?? Math.max(1, Math.floor(h.blocksPerWindow / 5));
  const sync =
    parameters.sync ?? createModelSync({ chain, router, hyperparameters: h, modelConfig, logger, metrics });

  const m = {
    windows: metrics.counter({
      name: 'windows_total',
      help: 'Windows processed, by outcome.',
      labelNames: ['outcome'],
    }),
    window: metrics.gauge({ name: 'window', help: 'The last window processed.' }),
    verdicts: metrics.counter({
      name: 'verdicts_total',
      help: 'Verdicts on miners, by status.',
      labelNames: ['status'],
    }),
    rejections: metrics.counter({
      name: 'rejections_total',
      help: 'Updates rejected or missing, by reason.',
      labelNames: ['reason'],
    }),
    heldOutLoss: metrics.gauge({
      name: 'held_out_loss',
      help: 'Loss of the latest θ on the fixed held-out pages, in nats per token.',
    }),
    aggregateSize: metrics.gauge({ name: 'aggregate_size', help: 'Updates in the last aggregation set.' }),
    weightsSet: metrics.counter({ name: 'weights_set_total', help: 'Times weights were set on chain.' }),
    chainErrors: metrics.counter({
      name: 'chain_errors_total',
      help: 'Chain writes that failed, by operation.',
      labelNames: ['operation'],
    }),
  };

  const status: ValidatorStatus = {
    phase: 'idle',
    uid: undefined,
    window: undefined,
    modelHash: undefined,
    lastWindow: undefined,
    lastVerdicts: undefined,
    redisPrefix: undefined,
  };

  const subnetId = parameters.subnet ?? chain.subnetId;

  async function run(): Promise<void> {
    status.phase = 'starting';
    const timing = await chain.timing();
    checkTiming({ hyperparameters: h, timing });
    const uid = await chain.uidOf();
    if (uid === undefined) {
      throw new ValidatorError('not-registered', 'This hotkey holds no uid on the subnet.', {
        details: chain.address,
        hint: 'Register it as a validator first (tessera register --role validator).',
      });
    }
    status.uid = uid;
    const keys = validatorKeys({ subnet: subnetId, hotkey: chain.address });
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
    const context: LoopContext = { timing, keys, secret, queue, redis: connection.redis, uid };
    try {
      let window = await firstWindow(context);
      let failures = 0;
      while (!signal.aborted) {
        try {
          await processWindow(context, window);
          window++;
          failures = 0;
        } catch (error) {
          if (signal.aborted) break;
          if (isSyncError(error)) {
            // Without θ_w there is nothing to score against: leave the window out (no one's
            // average moves) and let sync try again at the next one.
            logger.error('window skipped: θ could not be synced', { window, error, reason: error.reason });
            m.windows.inc({ outcome: 'unsynced' });
            if (error.reason === 'out-of-sync') sync.reset();
            await closeEpochAfter(context, logger.child({ window }), window).catch((closing: unknown) => {
              if (signal.aborted) throw closing;
              logger.warn('epoch not closed after a skipped window', { window, error: closing });
            });
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
      await Promise.all(workers.map((worker) => worker.close()));
      await queue.close();
      await connection.release();
    }
  }

  type LoopContext = {
    timing: SubnetTiming;
    keys: ValidatorKeys;
    secret: Uint8Array;
    queue: EvaluationQueue;
    redis: ReturnType<typeof createRedisConnection>['redis'];
    uid: number;
  };

  /**
   * The window to start at: the one after Redis's `last-window`, or, when that one (or a
   * fresh start) lies too far back to take part in, the window before the head's, whose
   * deadline has passed or is near.
   */
  async function firstWindow(context: LoopContext): Promise<number> {
    const last = await context.redis.get(context.keys.lastWindow);
    const head = await chain.blockNumber();
    const headWindow =
      head < context.timing.startBlock ? 0 : windowOfBlock({ block: head, ...context.timing });
    const resumeAt = last === null ? 0 : Number(last) + 1;
    if (!Number.isSafeInteger(resumeAt) || resumeAt < 0) {
      throw new ValidatorError('bad-state', 'Redis holds a malformed last-window.', {
        details: `${context.keys.lastWindow} = ${last}`,
      });
    }
    const window = Math.max(resumeAt, headWindow - 1);
    logger.info(last === null ? 'starting fresh' : 'resuming', {
      window,
      lastWindow: last ?? undefined,
      head,
    });
    if (window > resumeAt && last !== null)
      logger.warn('windows missed while stopped', { from: resumeAt, to: window - 1 });
    return window;
  }

  async function processWindow(context: LoopContext, w: number): Promise<void> {
    const { timing, keys, queue, redis } = context;
    const log = logger.child({ window: w });
    status.window = w;
    status.phase = 'waiting';
    const deadline = deadlineOfWindow({ window: w, ...timing });
    blockTimer.observe(await chain.waitForBlock({ block: deadline, signal }));
    const nextStart = startBlockOfWindow({ window: w + 2, ...timing });
    if ((await chain.blockNumber()) >= nextStart) {
      // Window w+2 has started: w's aggregate is final without us, and scoring it would only
      // delay the windows still open.
      log.warn('window skipped: too late to take part', { windowAfterNextStartedAt: nextStart });
      m.windows.inc({ outcome: 'late' });
      // The epoch's weights come from the averages of the windows before: still set them.
      await closeEpochAfter(context, log, w);
      return;
    }
    await sync.advanceTo({ window: w, signal });
    const theta = sync.parameters;
    const thetaHash = sync.hash;
    status.modelHash = thetaHash;

    // Weights committed last epoch are revealed as early in this one as possible.
    await chainWrite(log, 'reveal_weights', () => chain.revealPendingWeights());
    const metagraph = await chain.metagraph();
    const permitted =
      metagraph.neurons.find((neuron) => neuron.uid === context.uid)?.validatorPermit === true;
    const miners = metagraph.neurons.filter((neuron) => !neuron.isValidator);
    const thetaUri = await putTheta(w, theta, thetaHash);
    if (permitted && w > 0 && w % h.checkpointEveryWindows === 0) {
      await publishCheckpointOnce(context, w, thetaHash, thetaUri);
    }

    status.phase = 'evaluating';
    const commitments = await chain.commitments({ window: w });
    const startBlockHash = await chain.blockHash(startBlockOfWindow({ window: w, ...timing }));
    const evalSeed = deriveEvalSeed({
      secret: context.secret,
      window: w,
      deadlineBlockHash: await chain.blockHash(deadline),
    });
    const assignments = windowAssignments({
      window: w,
      uids: [...miners.map((neuron) => neuron.uid), ...commitments.map((c) => c.uid)],
      hyperparameters: h,
      trainPageCount: corpus.trainPageCount,
      startBlockHash,
    });
    const pages = drawEvaluationPages({
      evalSeed,
      trainPageCount: corpus.trainPageCount,
      unseenCount: h.evalPages,
      referenceCount: h.pagesPerWindow,
      assignedPages: [...assignments.values()].flatMap((a) => a.pages),
    });
    const model = scoringModel();
    const referenceFeedback = await loadReferenceFeedback(context, theta.length);
    const reference = await trainReferenceUpdate({
      model,
      theta,
      corpus,
      hyperparameters: h,
      pages: pages.reference,
      errorFeedback: referenceFeedback,
      signal,
    });
    await saveReferenceFeedback(context, referenceFeedback);
    // ρ by shard bounds each update in the aggregate; updates are scored at a fraction of it.
    const normBounds = reference.shards.map((part) => Math.fround(Math.max(part.norm, minimumNormBound)));
    const scoreBounds = normBounds.map((rho) => Math.fround(rho * h.scoreNormFraction));
    const head = await chain.blockNumber();
    blockTimer.observe(head);
    const budgetMs = fetchBudget({
      head,
      cutoffBlock: publishCutoff(deadline, nextStart),
      msPerBlock: blockTimer.msPerBlock(),
      maxMs: fetchTimeoutMs,
    });
    const { jobs, duplicates } = planEvaluations({
      window: w,
      commitments,
      assignments,
      unseenPages: pages.unseen,
      normBounds: scoreBounds,
      theta: { uri: thetaUri, modelHash: thetaHash },
      fetchTimeoutMs: budgetMs,
    });
    await queue.add({ jobs });
    log.info('evaluating', {
      commitments: commitments.length,
      jobs: jobs.length,
      duplicates: duplicates.length,
      normBounds,
      scoreBounds,
      fetchTimeoutMs: budgetMs,
    });
    // While the workers evaluate: what the reference update does to the unseen pages (the
    // window's unit of score), and θ_w (the model after window w−1) on the held-out pages.
    const lossCache = new Map<string, number>();
    const gain = (pair: { before: number; after: number }) => pair.before - pair.after;
    const referenceGains: { own: number; unseen: number }[] = [];
    for (const part of reference.shards) {
      const measured = await measureImprovements({
        model,
        theta,
        thetaHash,
        corpus,
        hyperparameters: h,
        update: part,
        normBound: scoreBounds[part.shard]!,
        pages: { own: pages.reference, unseen: pages.unseen },
        lossCache,
      });
      referenceGains.push(
        measured
          ? { own: gain(measured.losses.own), unseen: gain(measured.losses.unseen) }
          : { own: 0, unseen: 0 },
      );
    }
    log.info('reference update measured', { referenceGains });
    if (w > 0) await reportHeldOutLoss(context, log, w - 1, theta);

    const verdicts = await collectVerdicts(context, log, w, jobs, duplicates, nextStart, deadline);

    // Copies of earlier commitments of the window are scored on their own part only.
    const shardOf = new Map(jobs.map((job) => [job.uid, job.shard]));
    const updates = await loadWindowUpdates({
      redis,
      keys,
      window: w,
      commitments: commitments
        .filter((c) => shardOf.has(c.uid))
        .map((c) => ({ ...c, shard: shardOf.get(c.uid)! })),
      parameterCount: theta.length,
      hyperparameters: h,
      logger: log,
    });
    await rescoreCopies({
      verdicts,
      updates,
      copyCosine: h.copyCosine,
      measure: async (uid, residual) =>
        (
          await measureImprovements({
            model,
            theta,
            thetaHash,
            corpus,
            hyperparameters: h,
            update: residual,
            normBound: scoreBounds[shardOf.get(uid) ?? 0]!,
            pages: { own: assignments.get(uid)?.pages ?? [], unseen: pages.unseen },
            lossCache,
          })
        )?.losses,
      logger: log,
    });
    for (const [uid, verdict] of verdicts) {
      if (verdict.status !== 'scored' || verdict.losses === undefined) continue;
      verdicts.set(uid, {
        ...verdict,
        score:
          windowScore({
            gains: { own: gain(verdict.losses.own), unseen: verdict.score },
            reference: referenceGains[shardOf.get(uid) ?? 0] ?? { own: 0, unseen: 0 },
            maxRelativeScore: h.maxRelativeScore,
          }) *
          overNormFactor({
            norm: verdict.norm ?? 0,
            referenceNorm: normBounds[shardOf.get(uid) ?? 0]!,
            tolerance: h.normTolerance,
          }),
      });
    }

    const scores = recordVerdicts(log, miners, verdicts);
    const applied = await applyWindowScores({ redis, keys, window: w, scores, alpha: h.scoreEmaAlpha });
    if (!applied) log.info('scores of this window were applied before; not again');

    status.phase = 'publishing';
    const scored = new Map(
      [...verdicts]
        .filter(([, result]) => result.status === 'scored' && result.copyOf === undefined)
        .map(([uid, result]) => [uid, result.score]),
    );
    const set = new Set(selectAggregationSet({ scores: scored, aggregationSize: h.aggregationSize }));
    const members = updates.filter((update) => set.has(update.uid));
    const normBound = Math.max(...normBounds);
    const next = aggregateUpdates({
      base: theta,
      updates: members,
      learningRate: h.outerLearningRate,
      normBound,
    });
    const uids = members.map((member) => member.uid);
    if (uids.length < set.size)
      log.warn('aggregate members whose bytes are gone were left out', { set: [...set], uids });
    const nextHash = modelHash({ parameters: next });
    m.aggregateSize.set(uids.length);
    if (permitted) {
      const nextUri = await putTheta(w + 1, next, nextHash);
      let outcome: PublishAggregateOutcome | undefined;
      const ok = await chainWrite(log, 'publish_aggregate', async () => {
        outcome = await chain.publishAggregate({
          window: w,
          uids,
          modelHash: nextHash,
          normBound,
          uri: nextUri,
        });
      });
      if (outcome?.status === 'already-published') log.info('publish_aggregate: already done');
      else if (ok) log.info('aggregate published', { uids, modelHash: nextHash, normBound });
    } else {
      log.info('no validator permit: aggregate not published', { uids, modelHash: nextHash });
    }
    if (jobs.length > 0) await redis.del(...jobs.map((job) => keys.updateBytes(w, job.uid)));

    await closeEpochAfter(context, log, w, permitted);

    // Last, so a crash anywhere above runs this window again on restart: the averages, the
    // aggregate, the checkpoint and the weights are each guarded against a second time.
    await redis.set(keys.lastWindow, String(w));
    status.lastWindow = w;
    m.window.set(w);
    m.windows.inc({ outcome: 'done' });
  }

  /**
   * The reference update's error-feedback buffers, one per shard: kept in Redis beside the
   * averages so a restarted validator's reference keeps the norm an honest miner's has.
   */
  async function loadReferenceFeedback(
    context: LoopContext,
    parameterCount: number,
  ): Promise<Float32Array[]> {
    const buffers: Float32Array[] = [];
    for (let shard = 0; shard < h.shards; shard++) {
      const { length } = shardRange({ parameterCount, shards: h.shards, shard });
      const stored = await context.redis.getBuffer(context.keys.referenceFeedback(shard));
      const buffer = new Float32Array(length);
      if (stored && stored.byteLength === length * 4) {
        const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
        for (let i = 0; i < length; i++) buffer[i] = view.getFloat32(i * 4, true);
      }
      buffers.push(buffer);
    }
    return buffers;
  }

  async function saveReferenceFeedback(context: LoopContext, buffers: Float32Array[]): Promise<void> {
    for (const [shard, buffer] of buffers.entries()) {
      const bytes = Buffer.alloc(buffer.length * 4);
      for (let i = 0; i < buffer.length; i++) bytes.writeFloatLE(buffer[i]!, i * 4);
      await context.redis.set(context.keys.referenceFeedback(shard), bytes);
    }
  }

  /** The block at which the loop stops waiting for a window's verdicts: `publishMarginBlocks` before window w+2. */
  function publishCutoff(deadline: number, nextStart: number): number {
    return Math.max(deadline + 1, nextStart - publishMarginBlocks);
  }

  /** Waits for the window's verdicts until its publish cutoff; the late ones count as `missing:late`. */
  async function collectVerdicts(
    context: LoopContext,
    log: Logger,
    w: number,
    jobs: readonly { uid: number }[],
    duplicates: readonly { uid: number }[],
    nextStart: number,
    deadline: number,
  ): Promise<Map<number, EvaluationResult>> {
    const { queue } = context;
    const verdicts = new Map<number, EvaluationResult>();
    const reject = (reason: RejectionReason): EvaluationResult => ({ status: 'rejected', reason, score: 0 });
    for (const duplicate of duplicates) verdicts.set(duplicate.uid, reject('duplicate'));
    const pending = new Set(jobs.map((job) => job.uid));
    const waitUntil = publishCutoff(deadline, nextStart);
    let lastBlockCheck = 0;
    while (pending.size > 0) {
      for (const uid of [...pending]) {
        const state = await queue.state({ window: w, uid });
        if (state.state === 'pending') continue;
        pending.delete(uid);
        if (state.state === 'completed') verdicts.set(uid, state.result);
        else {
          log.error('evaluation failed', {
            uid,
            error: state.state === 'failed' ? state.error : 'job vanished',
          });
          verdicts.set(uid, reject('evaluation-failed'));
        }
      }
      if (pending.size === 0) break;
      if (Date.now() - lastBlockCheck > 1_000) {
        lastBlockCheck = Date.now();
        const head = await chain.blockNumber();
        blockTimer.observe(head);
        if (head >= waitUntil) break;
      }
      await sleep(pollMs, signal);
    }
    for (const uid of pending) {
      log.warn('evaluation not done in time; counted as missing', { uid });
      verdicts.set(uid, reject('missing:late'));
      await queue.discard({ window: w, uid });
    }
    return verdicts;
  }

  function recordVerdicts(
    log: Logger,
    miners: readonly Neuron[],
    verdicts: Map<number, EvaluationResult>,
  ): { uid: number; hotkey: string; result: EvaluationResult }[] {
    let scored = 0;
    let rejected = 0;
    const out = miners.map((neuron) => {
      const result: EvaluationResult = verdicts.get(neuron.uid) ?? {
        status: 'rejected',
        reason: 'missing',
        score: 0,
      };
      if (result.status === 'scored') {
        scored++;
        log.info('update scored', { uid: neuron.uid, score: result.score });
      } else {
        rejected++;
        m.rejections.inc({ reason: result.reason ?? 'unknown' });
        log.info('update rejected', { uid: neuron.uid, reason: result.reason });
      }
      m.verdicts.inc({ status: result.status });
      return { uid: neuron.uid, hotkey: neuron.hotkey, result };
    });
    status.lastVerdicts = { scored, rejected };
    return out;
  }

  /** The model the held-out loss is measured on and the fixed held-out batches; made at first use. */
  let measuring: { model: Model; batches: TokenBatch[] } | undefined;
  /** The model the reference update trains on and copies are rescored on; made at first use. */
  let scoring: Model | undefined;
  const scoringModel = (): Model => (scoring ??= createModel({ config: modelConfig, seed: 0n }));

  /**
   * Measures θ_{w+1}, the model after window w's aggregate as the chain's followers hold it,
   * on the fixed held-out pages, and writes it where the REST API reads it (docs/api.md).
   * Every validator of the subnet writes the same number for the same model; a failure is
   * logged, never fatal.
   */
  async function reportHeldOutLoss(
    context: LoopContext,
    log: Logger,
    window: number,
    parameters: Float32Array,
  ): Promise<void> {
    try {
      measuring ??= {
        model: createModel({ config: modelConfig, seed: 0n }),
        batches: heldOutBatches({ corpus, pages: h.heldOutPages, batchSize: h.batchSize }),
      };
      setParameters({ model: measuring.model, parameters });
      const loss = await meanLoss(measuring);
      m.heldOutLoss.set(loss);
      await context.redis.hset(
        windowMetricsKey({ subnet: subnetId, window }),
        'heldOutLoss',
        loss.toFixed(6),
      );
      log.info('held-out loss', { afterWindow: window, loss });
    } catch (error) {
      if (signal.aborted) throw error;
      log.warn('held-out loss not measured', { afterWindow: window, error });
    }
  }

  /** Model files this process wrote, oldest first, for clean-up. */
  const modelFiles: { window: number; key: string }[] = [];

  /**
   * Writes θ of `window` to the store as a checkpoint file (once) and returns its URI. Files
   * of windows more than two back are deleted, except every K-th (published checkpoints).
   */
  async function putTheta(window: number, parameters: Float32Array, hash: `0x${string}`): Promise<string> {
    const key = `models/w${String(window).padStart(8, '0')}-${hash.slice(2, 18)}.ckpt`;
    if (!(await store.has({ key, signal }))) {
      const { bytes } = encodeCheckpoint({ config: modelConfig, window, parameters });
      await store.put({ key, bytes, signal });
      modelFiles.push({ window, key });
    }
    while (modelFiles.length > 0 && (modelFiles[0]?.window ?? window) < window - 2) {
      const old = modelFiles.shift() as { window: number; key: string };
      if (old.window % h.checkpointEveryWindows === 0) continue;
      await store.delete({ key: old.key, signal }).catch((error: unknown) => {
        logger.warn('old model file not deleted', { key: old.key, error });
      });
    }
    return store.uriOf({ key });
  }

  async function publishCheckpointOnce(
    context: LoopContext,
    window: number,
    hash: `0x${string}`,
    uri: string,
  ) {
    if ((await context.redis.sadd(context.keys.checkpoints, String(window))) === 0) return;
    const ok = await chainWrite(logger, 'publish_checkpoint', () =>
      chain.publishCheckpoint({ window, modelHash: hash, uri }),
    );
    if (ok) logger.info('checkpoint published', { window, modelHash: hash, uri });
    else await context.redis.srem(context.keys.checkpoints, String(window));
  }

  /**
   * After each window, however it went: weights once per epoch (with a permit), then
   * settlement of every epoch whose settlement is open.
   *
   * A commit counts for the epoch it lands in, and window w is processed during window w + 1,
   * so the weights of epoch E are committed after its second-to-last window (during its last
   * one): scores through that window, committed inside E. Committing after E's last window
   * would land in E + 1, leaving E to whoever else set weights in it (a self-dealer, say).
   * With one window per epoch no window of E is processed inside E: the weights come after
   * E's window and count for E + 1.
   */
  async function closeEpochAfter(
    context: LoopContext,
    log: Logger,
    w: number,
    permitted?: boolean,
  ): Promise<void> {
    const perEpoch = h.windowsPerEpoch;
    const commitNow = perEpoch >= 2 ? (w + 2) % perEpoch === 0 : true;
    if (commitNow) {
      const epoch = epochOfWindow({ window: w + 1, windowsPerEpoch: perEpoch });
      const hasPermit =
        permitted ??
        (await chain.metagraph()).neurons.find((neuron) => neuron.uid === context.uid)?.validatorPermit ===
          true;
      if (hasPermit) await setWeightsOnce(context, log, epoch);
    }
    // Window w + 1 is under way, in epoch F: epochs up to F − 2 are open for settlement.
    await settleEpochs(context, log, epochOfWindow({ window: w + 1, windowsPerEpoch: perEpoch }) - 2);
  }

  async function setWeightsOnce(context: LoopContext, log: Logger, epoch: number): Promise<void> {
    const { redis, keys } = context;
    // Claim the epoch before sending: a crash after the claim loses one epoch's weights at
    // worst, and never sets them twice.
    if ((await redis.sadd(keys.weightsEpochs, String(epoch))) === 0) {
      log.info('weights for this epoch were set before', { epoch });
      return;
    }
    const weights = computeWeights({ scores: await readScores({ redis, keys }), power: h.weightPower });
    if (weights === undefined) {
      log.info('no positive scores: no weights set', { epoch });
      return;
    }
    const ok = await chainWrite(log, 'set_weights', () => chain.setWeights(weights));
    if (ok) {
      m.weightsSet.inc();
      log.info('weights set', { epoch, uids: weights.uids, weights: weights.weights });
    } else {
      await redis.srem(keys.weightsEpochs, String(epoch));
    }
  }

  async function settleEpochs(context: LoopContext, log: Logger, epoch: number): Promise<void> {
    const { redis, keys } = context;
    const settled = Number((await redis.get(keys.settledEpoch)) ?? '-1');
    // Epoch e settles from the first block of epoch e + 2 (its weights are revealed during
    // e + 1). `epoch` is one whose settlement is open; for epochs up to it "nothing to do"
    // means settled already.
    for (let e = Number.isSafeInteger(settled) ? settled + 1 : 0; e <= epoch; e++) {
      let didSettle = false;
      const ok = await chainWrite(log, 'settle_epoch', async () => {
        didSettle = (await chain.settleEpoch({ epoch: e })).status === 'settled';
      });
      if (!ok) return;
      if (didSettle) log.info('epoch settled', { epoch: e });
      await redis.set(keys.settledEpoch, String(e));
    }
  }

  /** Runs a chain write; a failure is logged and counted, never fatal (the next window goes on). */
  async function chainWrite(log: Logger, operation: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (signal.aborted) throw error;
      m.chainErrors.inc({ operation });
      log.warn(`${operation} failed`, { error, retryable: isRetryable(error) });
      return false;
    }
  }

  return {
    run,
    status: () => ({ ...status, lastVerdicts: status.lastVerdicts && { ...status.lastVerdicts } }),
  };
}
