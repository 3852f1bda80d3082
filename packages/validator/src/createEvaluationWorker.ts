import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isRetryable } from '@tessera/core';
import type { Common, Corpus, Hyperparameters, ModelConfig, StoreRouter } from '@tessera/core';
import { defaultEvaluationQueueName, downloadQueueName } from './createEvaluationQueue.js';
import { createModelPool } from './createModelPool.js';
import { createRedisConnection } from './createRedisConnection.js';
import { createThetaCache } from './createThetaCache.js';
import type { ThetaCache } from './createThetaCache.js';
import { ValidatorError } from './errors/validator.js';
import { evaluateUpdate } from './evaluateUpdate.js';
import type { EvaluateUpdateParameters, EvaluationResult } from './evaluateUpdate.js';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { parseEvaluationJob } from './evaluationJobSchema.js';
import { getOnceUploaded } from './getOnceUploaded.js';
import { missingReason } from './missingReason.js';
import type { MissingReason } from './missingReason.js';
import { updateBytesKey } from './validatorKeys.js';

/** How long a worker's copy of an update's bytes stays in Redis, in seconds. */
export const updateBytesTtlSeconds = 6 * 3600;

/** What a download job returns: its bytes are in Redis (`updateBytesKey`), or they are missing. */
export type DownloadResult =
  { status: 'downloaded'; byteLength: number } | { status: 'missing'; reason: MissingReason };

/** Parameters of {@link createEvaluationWorker}. */
export type CreateEvaluationWorkerParameters = {
  /** A `redis://` URL, or an ioredis connection (with `maxRetriesPerRequest: null`) the caller keeps. */
  connection: string | Redis;
  /** @default 'evaluations' */
  queueName?: string | undefined;
  /** BullMQ key prefix: the validator's, which it logs at start. @default 'bull' */
  prefix?: string | undefined;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  modelConfig: ModelConfig;
  /** Reads miners' update URIs and the validator's θ_w checkpoints. */
  router: StoreRouter;
  /**
   * Updates evaluated at once, each on its own model. TensorFlow.js computes on one thread in
   * Node, so more than one rarely helps; downloads need no model (see `downloads`). @default 1
   */
  concurrency?: number | undefined;
  /**
   * Downloads run at once, beside the evaluations. A slow store holds one of these, never a
   * model, so it delays only its own update as long as fewer than this many are slow at once.
   * @default 16
   */
  downloads?: number | undefined;
  /**
   * Longest one update download may take, in milliseconds: the cap on the budget each job
   * carries from the validator (a share of the time the window leaves), and the limit of jobs
   * that carry none. @default 30000
   */
  fetchTimeoutMs?: number | undefined;
  /**
   * How long a job's lock lasts without renewal, and how often this worker looks for jobs
   * whose lock lapsed (their worker died): a killed worker's job goes back to the queue
   * within about twice this, to be retried by another. It must exceed the longest stretch an
   * evaluation holds the event loop. @default 30000
   */
  lockMs?: number | undefined;
  /** Names this worker on the jobs it takes (BullMQ's `processedBy`). @default '<hostname>:<pid>' */
  name?: string | undefined;
  /**
   * The process's logger and registry (`evaluations_total{status,reason}`,
   * `evaluation_seconds` and `update_download_seconds` are counted there). The worker stops on
   * `close()`, which its owner registers on `common.shutdown` (or runs itself, as the
   * validator does for its in-process workers).
   */
  common: Common;
  /** Scores one update; tests swap it. @default evaluateUpdate */
  evaluate?: ((parameters: EvaluateUpdateParameters) => Promise<EvaluationResult>) | undefined;
  /** Start taking jobs at once. @default true */
  autorun?: boolean | undefined;
};

/** A running evaluation worker. */
export type EvaluationWorker = {
  /** Takes evaluation jobs: one per model. */
  readonly worker: Worker<EvaluationJobData, EvaluationResult>;
  /** Takes the download jobs the evaluations wait on, `downloads` at once. */
  readonly downloader: Worker<EvaluationJobData, DownloadResult>;
  /** Stops taking jobs, aborts the downloads in flight, waits for the jobs in hand, frees the models and the connection. */
  close(): Promise<void>;
};

/**
 * Starts the BullMQ workers that evaluate miners' updates: they can run in any process on
 * any machine that reaches the validator's Redis, its stores and the same corpus. Call
 * `selectBackend` first: the models live on the active TensorFlow.js backend.
 *
 * Two stages, each a BullMQ worker (the validator adds each evaluation as a flow waiting on
 * its download, `createEvaluationQueue`):
 *
 * 1. Download, `downloads` at once and without a model: the update with the byte cap
 *    `maxUpdateBytes` and the job's time budget (capped by `fetchTimeoutMs`), left in Redis
 *    for the evaluation and the window loop. A download that runs out of its budget is
 *    `missing:timeout` at once (the budget is what the window leaves; a retry could only come
 *    later); one that fails for good, or still fails on the last attempt, is
 *    `missing:<reason>` (`missingReason`); other retryable failures are retried with backoff.
 * 2. Evaluate, one job per model (`concurrency`), so evaluations go to whichever worker has a
 *    model free: the download's outcome, then θ_w by URI and hash (cached) and
 *    {@link evaluateUpdate}.
 *
 * The verdict, rejections included, is the evaluation job's result. Retryable errors of the
 * evaluation (θ_w's store timing out) are thrown for BullMQ to retry with backoff; errors no
 * retry can cure (malformed job data, a θ_w checkpoint that is not the committed model) fail
 * the job at once as `UnrecoverableError`, and the window loop records `evaluation-failed`.
 * A job without a download (from a validator of an earlier release) downloads in its own
 * evaluation. `close` aborts the downloads in flight, so a trickling store cannot hold up a
 * shutdown; those jobs go back to the queue.
 *
 * @example
 * await selectBackend({ logger });
 * const worker = createEvaluationWorker({ common, connection: 'redis://127.0.0.1:6379', prefix, corpus, hyperparameters, modelConfig, router });
 * common.shutdown.add(() => worker.close());
 */
export function createEvaluationWorker(parameters: CreateEvaluationWorkerParameters): EvaluationWorker {
  const { corpus, hyperparameters, modelConfig, router } = parameters;
  const { logger, metrics } = parameters.common;
  const queueName = parameters.queueName ?? defaultEvaluationQueueName;
  const prefix = parameters.prefix ?? 'bull';
  const concurrency = parameters.concurrency ?? 1;
  const downloads = parameters.downloads ?? 16;
  const fetchTimeoutMs = parameters.fetchTimeoutMs ?? 30_000;
  const lockMs = parameters.lockMs ?? 30_000;
  if (!Number.isInteger(lockMs) || lockMs < 1_000) {
    throw new ValidatorError('invalid-parameter', 'lockMs must be an integer of at least 1000.', {
      details: `got ${lockMs}`,
    });
  }
  if (!Number.isSafeInteger(downloads) || downloads < 1 || !(fetchTimeoutMs >= 1)) {
    throw new ValidatorError(
      'invalid-parameter',
      'downloads must be a positive integer, fetchTimeoutMs positive.',
      {
        details: `downloads ${downloads}, fetchTimeoutMs ${fetchTimeoutMs}`,
      },
    );
  }
  const evaluate = parameters.evaluate ?? evaluateUpdate;
  const thetas: ThetaCache = createThetaCache({ router, modelConfig });
  const evaluations = metrics.counter({
    name: 'evaluations_total',
    help: 'Updates evaluated by this worker, by status and rejection reason.',
    labelNames: ['status', 'reason'],
  });
  const seconds = metrics.histogram({
    name: 'evaluation_seconds',
    help: 'Time to evaluate one update once its download is done (θ_w, losses), in seconds.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  });
  const downloadSeconds = metrics.histogram({
    name: 'update_download_seconds',
    help: 'Time to download one update, failed downloads included, in seconds.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  });

  // One model per evaluation at once: an evaluation overwrites its model's parameters.
  const models = createModelPool({ modelConfig, size: concurrency });
  // Aborted by close: the downloads in flight stop, so a trickling store cannot delay a shutdown.
  const stopping = new AbortController();
  // Every download in flight listens to it (up to `downloads` at once).
  setMaxListeners(0, stopping.signal);
  const { redis, release } = createRedisConnection({ connection: parameters.connection });

  const parse = (job: Job<EvaluationJobData, unknown>): EvaluationJobData => {
    try {
      return parseEvaluationJob(job.data);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
  };
  const logOf = (job: Job<EvaluationJobData, unknown>, data: EvaluationJobData) =>
    logger.child({ window: data.window, uid: data.uid, attempt: job.attemptsMade + 1 });

  /** Stage 1: the update's bytes into Redis, or the reason they are missing; throws to be retried. */
  const download = async (
    job: Job<EvaluationJobData, unknown>,
    data: EvaluationJobData,
  ): Promise<DownloadResult> => {
    const log = logOf(job, data);
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const timeoutMs = Math.min(fetchTimeoutMs, data.fetchTimeoutMs ?? fetchTimeoutMs);
    const started = performance.now();
    let bytes: Uint8Array;
    try {
      bytes = await getOnceUploaded({
        router,
        uri: data.uri,
        maxBytes: hyperparameters.maxUpdateBytes,
        timeoutMs,
        signal: stopping.signal,
      });
    } catch (error) {
      // Shutting down: the job goes back to the queue for another worker or a restart.
      if (stopping.signal.aborted) throw error;
      const reason = missingReason({ error });
      if (reason !== 'timeout' && isRetryable(error) && !lastAttempt) {
        log.info('update download failed, will retry', { reason });
        throw error;
      }
      log.info('update missing', { reason, uri: data.uri, timeoutMs });
      return { status: 'missing', reason };
    } finally {
      downloadSeconds.observe((performance.now() - started) / 1000);
    }
    // The evaluation checks the digest; the window loop checks it again before it uses the
    // bytes for copies and the aggregate. Each update is downloaded once, by a worker.
    await redis.set(
      updateBytesKey({ prefix, window: data.window, uid: data.uid }),
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      'EX',
      updateBytesTtlSeconds,
    );
    log.info('update downloaded', {
      bytes: bytes.byteLength,
      seconds: Math.round(performance.now() - started) / 1000,
    });
    return { status: 'downloaded', byteLength: bytes.byteLength };
  };

  /** What the job's download came to: its result, or a download done here for a job without one. */
  const downloaded = async (job: Job<EvaluationJobData, EvaluationResult>, data: EvaluationJobData) => {
    const [result] = Object.values(await job.getChildrenValues<DownloadResult>());
    if (result !== undefined) return result;
    const counts = await job.getDependenciesCount();
    const children = Object.values(counts).reduce((sum: number, count) => sum + (count ?? 0), 0);
    if (children === 0) return download(job, data);
    // The download failed for good (its worker logged why).
    return { status: 'missing', reason: 'unreachable' } satisfies DownloadResult;
  };

  /** Stage 2: the verdict. */
  const processEvaluation = async (
    job: Job<EvaluationJobData, EvaluationResult>,
  ): Promise<EvaluationResult> => {
    const data = parse(job);
    const log = logOf(job, data);
    const started = performance.now();
    const finish = (result: EvaluationResult) => {
      evaluations.inc({ status: result.status, reason: result.reason ?? '' });
      seconds.observe((performance.now() - started) / 1000);
      log.info('update evaluated', {
        status: result.status,
        reason: result.reason,
        score: result.score,
        seconds: Math.round(performance.now() - started) / 1000,
      });
      return result;
    };
    const missing = (reason: MissingReason): EvaluationResult =>
      finish({ status: 'rejected', reason: `missing:${reason}`, score: 0 });

    const outcome = await downloaded(job, data);
    if (outcome.status === 'missing') return missing(outcome.reason);
    const stored = await redis.getBuffer(updateBytesKey({ prefix, window: data.window, uid: data.uid }));
    if (stored === null) {
      // The window loop deletes a window's bytes once it has published: it moved on.
      log.info('update bytes gone before their evaluation');
      return missing('late');
    }
    const bytes = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);

    try {
      const theta = await thetas.get(data.theta);
      return finish(
        await models.use((model) =>
          evaluate({
            model,
            theta: theta.parameters,
            thetaHash: theta.modelHash,
            corpus,
            hyperparameters,
            commitment: {
              uid: data.uid,
              window: data.window,
              digest: data.digest as `0x${string}`,
              modelHash: data.modelHash as `0x${string}`,
            },
            bytes,
            assignment: { pages: data.pages, shard: data.shard },
            unseenPages: data.unseenPages,
            normBound: data.normBound,
            lossCache: theta.lossCache,
          }),
        ),
      );
    } catch (error) {
      if (isRetryable(error)) {
        log.warn('evaluation failed, will retry', { error });
        throw error;
      }
      log.error('evaluation failed for good', { error });
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
  };

  const common = {
    connection: redis,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    name: parameters.name ?? `${hostname()}:${process.pid}`,
    autorun: parameters.autorun ?? true,
    prefix,
  };
  const worker = new Worker<EvaluationJobData, EvaluationResult>(queueName, processEvaluation, {
    ...common,
    concurrency,
  });
  const downloader = new Worker<EvaluationJobData, DownloadResult>(
    downloadQueueName({ queueName }),
    (job) => download(job, parse(job)),
    { ...common, concurrency: downloads },
  );
  worker.on('error', (error) => logger.warn('evaluation worker error', { error }));
  downloader.on('error', (error) => logger.warn('download worker error', { error }));

  let closing: Promise<void> | undefined;
  return {
    worker,
    downloader,
    close() {
      closing ??= (async () => {
        stopping.abort();
        await Promise.all([downloader.close(), worker.close()]);
        await release();
        models.dispose();
      })();
      return closing;
    },
  };
}
