import { hostname } from 'node:os';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { createModel, digestUpdate, isRetryable, isStorageError, silentLogger } from '@tessera/core';
import type {
  Corpus,
  Hyperparameters,
  Logger,
  Metrics,
  Model,
  ModelConfig,
  StoreRouter,
} from '@tessera/core';
import { defaultEvaluationQueueName } from './createEvaluationQueue.js';
import { createRedisConnection } from './createRedisConnection.js';
import { createThetaCache } from './createThetaCache.js';
import type { ThetaCache } from './createThetaCache.js';
import { ValidatorError } from './errors/validator.js';
import { evaluateUpdate } from './evaluateUpdate.js';
import type { EvaluateUpdateParameters, EvaluationResult } from './evaluateUpdate.js';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { parseEvaluationJob } from './evaluationJobSchema.js';
import { updateBytesKey } from './validatorKeys.js';

/** How long a worker's copy of an update's verified bytes stays in Redis, in seconds. */
export const updateBytesTtlSeconds = 6 * 3600;

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
   * Jobs evaluated at once, each on its own model. TensorFlow.js computes on one thread in
   * Node, so more than one only helps while a download is in flight. @default 1
   */
  concurrency?: number | undefined;
  /** Time limit of one update download, in milliseconds. @default 30000 */
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
  logger?: Logger | undefined;
  /** Where `evaluations_total{status,reason}` and `evaluation_seconds` are counted. */
  metrics?: Metrics | undefined;
  /** Scores one update; tests swap it. @default evaluateUpdate */
  evaluate?: ((parameters: EvaluateUpdateParameters) => Promise<EvaluationResult>) | undefined;
  /** Start taking jobs at once. @default true */
  autorun?: boolean | undefined;
};

/** A running evaluation worker. */
export type EvaluationWorker = {
  readonly worker: Worker<EvaluationJobData, EvaluationResult>;
  /** Stops taking jobs, waits for the ones in hand, frees the models and the connection. */
  close(): Promise<void>;
};

/**
 * Starts a BullMQ worker that evaluates miners' updates: it can run in any process on any
 * machine that reaches the validator's Redis, its stores and the same corpus. Call
 * `selectBackend` first: the models live on the active TensorFlow.js backend.
 *
 * Per job: check the data, download the update with the byte cap and time limit, leave its
 * bytes (when they match the digest) in Redis for the window loop, load θ_w by URI and hash
 * (cached), then {@link evaluateUpdate}. The verdict,
 * rejections included, is the job's result. A download that fails for good, or still fails
 * on the last attempt, is the verdict `missing`. Other retryable errors (θ_w's store timing
 * out) are thrown for BullMQ to retry with backoff; errors no retry can cure (malformed job
 * data, a θ_w checkpoint that is not the committed model) fail the job at once as
 * `UnrecoverableError`, and the window loop records `evaluation-failed`.
 *
 * @example
 * await selectBackend({ logger });
 * const worker = createEvaluationWorker({ connection: 'redis://127.0.0.1:6379', prefix, corpus, hyperparameters, modelConfig, router });
 * shutdown.add(() => worker.close());
 */
export function createEvaluationWorker(parameters: CreateEvaluationWorkerParameters): EvaluationWorker {
  const { corpus, hyperparameters, modelConfig, router } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const concurrency = parameters.concurrency ?? 1;
  const fetchTimeoutMs = parameters.fetchTimeoutMs ?? 30_000;
  const lockMs = parameters.lockMs ?? 30_000;
  if (!Number.isInteger(lockMs) || lockMs < 1_000) {
    throw new ValidatorError('invalid_parameter', 'lockMs must be an integer of at least 1000.', {
      details: `got ${lockMs}`,
    });
  }
  const evaluate = parameters.evaluate ?? evaluateUpdate;
  const thetas: ThetaCache = createThetaCache({ router, modelConfig });
  const evaluations = parameters.metrics?.counter({
    name: 'evaluations_total',
    help: 'Updates evaluated by this worker, by status and rejection reason.',
    labelNames: ['status', 'reason'],
  });
  const seconds = parameters.metrics?.histogram({
    name: 'evaluation_seconds',
    help: 'Time to evaluate one update (download, θ_w, losses), in seconds.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  });

  // One model per concurrent job: an evaluation overwrites its model's parameters.
  const idle: Model[] = [];
  const all: Model[] = [];
  const borrowModel = () => {
    const model = idle.pop() ?? createModel({ config: modelConfig, seed: 0n });
    if (!all.includes(model)) all.push(model);
    return model;
  };

  const { redis, release } = createRedisConnection({ connection: parameters.connection });
  const processJob = async (job: Job<EvaluationJobData, EvaluationResult>): Promise<EvaluationResult> => {
    const started = performance.now();
    const attempts = job.opts.attempts ?? 1;
    const lastAttempt = job.attemptsMade + 1 >= attempts;
    let data: EvaluationJobData;
    try {
      data = parseEvaluationJob(job.data);
    } catch (error) {
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    const log = logger.child({ window: data.window, uid: data.uid, attempt: job.attemptsMade + 1 });
    const finish = (result: EvaluationResult) => {
      evaluations?.inc({ status: result.status, reason: result.reason ?? '' });
      seconds?.observe((performance.now() - started) / 1000);
      log.debug('update evaluated', { status: result.status, reason: result.reason, score: result.score });
      return result;
    };

    let bytes: Uint8Array;
    try {
      bytes = await router.get({
        uri: data.uri,
        maxBytes: hyperparameters.maxUpdateBytes,
        timeoutMs: fetchTimeoutMs,
      });
    } catch (error) {
      const reason = isStorageError(error) ? error.reason : 'unknown';
      if (isRetryable(error) && !lastAttempt) {
        log.info('update download failed, will retry', { reason });
        throw error;
      }
      log.info('update missing', { reason, uri: data.uri });
      return finish({ status: 'rejected', reason: 'missing', score: 0 });
    }

    // The window loop checks copies and builds the aggregate from these bytes, so each
    // update is downloaded once, by a worker.
    if (digestUpdate(bytes) === data.digest.toLowerCase()) {
      await redis.set(
        updateBytesKey({ prefix: parameters.prefix ?? 'bull', window: data.window, uid: data.uid }),
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        'EX',
        updateBytesTtlSeconds,
      );
    }

    try {
      const theta = await thetas.get(data.theta);
      const model = borrowModel();
      try {
        return finish(
          await evaluate({
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
        );
      } finally {
        idle.push(model);
      }
    } catch (error) {
      if (isRetryable(error)) {
        log.warn('evaluation failed, will retry', { error });
        throw error;
      }
      log.error('evaluation failed for good', { error });
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
  };

  const worker = new Worker<EvaluationJobData, EvaluationResult>(
    parameters.queueName ?? defaultEvaluationQueueName,
    processJob,
    {
      connection: redis,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      name: parameters.name ?? `${hostname()}:${process.pid}`,
      autorun: parameters.autorun ?? true,
      ...(parameters.prefix === undefined ? {} : { prefix: parameters.prefix }),
    },
  );
  worker.on('error', (error) => logger.warn('evaluation worker error', { error }));

  let closing: Promise<void> | undefined;
  return {
    worker,
    close() {
      closing ??= (async () => {
        await worker.close();
        await release();
        for (const model of all) model.dispose();
      })();
      return closing;
    },
  };
}
