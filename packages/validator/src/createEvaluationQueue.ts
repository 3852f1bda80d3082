import { FlowProducer, Queue, QueueEvents } from 'bullmq';
import type { Job, JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedisConnection } from './createRedisConnection.js';
import type { EvaluationResult } from './evaluateUpdate.js';
import { evaluationJobId } from './evaluationJobId.js';
import type { EvaluationJobData } from './evaluationJobSchema.js';

/** The queue name validators and workers use unless told otherwise. */
export const defaultEvaluationQueueName = 'evaluations';

/**
 * The queue of the downloads behind an evaluation queue's jobs: `<queueName>-downloads`.
 *
 * @example
 * downloadQueueName({ queueName: 'evaluations' }); // 'evaluations-downloads'
 */
export function downloadQueueName(parameters: { queueName: string }): string {
  return `${parameters.queueName}-downloads`;
}

/** Parameters of {@link createEvaluationQueue}. */
export type CreateEvaluationQueueParameters = {
  /** A `redis://` URL, or an ioredis connection the caller keeps ownership of. */
  connection: string | Redis;
  /** @default 'evaluations' */
  queueName?: string | undefined;
  /** BullMQ key prefix; the validator uses its state prefix so validators can share a Redis. @default 'bull' */
  prefix?: string | undefined;
  /**
   * Attempts per job and per download; only retryable errors (a store that cannot be reached,
   * θ_w's store timing out) use more than one. @default 3
   */
  attempts?: number | undefined;
  /** First retry delay, doubled on each further retry. @default 2000 */
  backoffMs?: number | undefined;
  /** How long finished jobs (and their results) are kept, in seconds. @default 86400 */
  keepSeconds?: number | undefined;
};

/** Where a job stands, as the window loop sees it. */
export type EvaluationJobState =
  | { state: 'completed'; result: EvaluationResult }
  | { state: 'failed'; error: string }
  | { state: 'pending' }
  | { state: 'absent' };

/** The validator's side of the evaluation queue. */
export type EvaluationQueue = {
  readonly queue: Queue<EvaluationJobData, EvaluationResult>;
  /**
   * Enqueues one evaluation per item with id `w-<window>-uid-<uid>`, waiting on a download
   * job of the same id in the download queue; items whose evaluation exists already are left
   * as they are.
   */
  add(parameters: { jobs: readonly EvaluationJobData[] }): Promise<void>;
  /** Where the job of a miner's evaluation stands. */
  state(parameters: { window: number; uid: number }): Promise<EvaluationJobState>;
  /**
   * Calls `listener` with the id of each evaluation job that completes or fails from now on
   * (BullMQ's `QueueEvents`, on a connection of its own, opened at the first call). A failed
   * attempt that will be retried is reported too, and events are not replayed after a
   * reconnect: read the job's `state` on each, and look at the states again now and then.
   *
   * @returns A function that stops the calls.
   */
  onFinished(listener: (jobId: string) => void): () => void;
  /**
   * Removes the job (and its download) when it is still waiting, delayed or waiting for its
   * download; one a worker holds runs to its end.
   */
  discard(parameters: { window: number; uid: number }): Promise<void>;
  close(): Promise<void>;
};

/**
 * Creates the validator's evaluation queue on BullMQ: one job per commitment, retried with
 * exponential backoff when a worker throws a retryable error, results kept with the job.
 * Each is added as a BullMQ flow: the evaluation waits for a download job in
 * {@link downloadQueueName}, which workers run side by side and without a model, so a slow
 * store delays only its own update and the evaluations go to whichever worker has a model free.
 *
 * @example
 * const evaluations = createEvaluationQueue({ connection: 'redis://127.0.0.1:6379', prefix: keys.prefix });
 * await evaluations.add({ jobs });
 * const state = await evaluations.state({ window: 12, uid: 3 });
 */
export function createEvaluationQueue(parameters: CreateEvaluationQueueParameters): EvaluationQueue {
  const { redis, release } = createRedisConnection({ connection: parameters.connection });
  const keep = parameters.keepSeconds ?? 86_400;
  const queueName = parameters.queueName ?? defaultEvaluationQueueName;
  const prefix = parameters.prefix === undefined ? {} : { prefix: parameters.prefix };
  const jobOptions = {
    attempts: parameters.attempts ?? 3,
    backoff: { type: 'exponential', delay: parameters.backoffMs ?? 2_000 },
    removeOnComplete: { age: keep },
    removeOnFail: { age: keep },
  } satisfies JobsOptions;
  const queue = new Queue<EvaluationJobData, EvaluationResult>(queueName, {
    connection: redis,
    ...prefix,
    defaultJobOptions: jobOptions,
  });
  queue.on('error', () => undefined);
  const flows = new FlowProducer({ connection: redis, ...prefix });
  flows.on('error', () => undefined);
  let events: QueueEvents | undefined;
  const listeners = new Set<(jobId: string) => void>();
  const finished = ({ jobId }: { jobId: string }) => {
    for (const listener of listeners) listener(jobId);
  };
  const getJob = (
    window: number,
    uid: number,
  ): Promise<Job<EvaluationJobData, EvaluationResult> | undefined> =>
    queue.getJob(evaluationJobId({ window, uid }));

  return {
    queue,
    async add({ jobs }) {
      // A flow added again would add its download again: leave existing evaluations alone.
      const fresh: EvaluationJobData[] = [];
      for (const data of jobs) {
        const state = await queue.getJobState(evaluationJobId({ window: data.window, uid: data.uid }));
        if (state === 'unknown') fresh.push(data);
      }
      if (fresh.length === 0) return;
      await flows.addBulk(
        fresh.map((data) => {
          const jobId = evaluationJobId({ window: data.window, uid: data.uid });
          return {
            name: 'evaluate',
            queueName,
            data,
            opts: { ...jobOptions, jobId },
            children: [
              {
                name: 'download',
                queueName: downloadQueueName({ queueName }),
                data,
                // A download that failed for good still lets its evaluation run (it finds no
                // bytes and calls the update missing).
                opts: { ...jobOptions, jobId, ignoreDependencyOnFailure: true },
              },
            ],
          };
        }),
      );
    },
    async state({ window, uid }) {
      // The job hash keeps an earlier attempt's failedReason after a retry succeeds, so ask
      // BullMQ for the state first, then read the finished job.
      const state = await queue.getJobState(evaluationJobId({ window, uid }));
      if (state === 'unknown') return { state: 'absent' };
      if (state !== 'completed' && state !== 'failed') return { state: 'pending' };
      const job = await getJob(window, uid);
      if (job === undefined) return { state: 'absent' };
      if (state === 'completed') return { state: 'completed', result: job.returnvalue };
      return { state: 'failed', error: job.failedReason };
    },
    onFinished(listener) {
      if (events === undefined) {
        events = new QueueEvents(queueName, { connection: redis, ...prefix });
        events.on('error', () => undefined);
        events.on('completed', finished);
        events.on('failed', finished);
      }
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async discard({ window, uid }) {
      const job = await getJob(window, uid);
      if (job === undefined) return;
      const state = await job.getState();
      if (!['waiting', 'delayed', 'prioritized', 'waiting-children'].includes(state)) return;
      // A download a worker holds keeps its flow until it is done; that one runs to its end.
      await job.remove().catch(() => undefined);
    },
    async close() {
      listeners.clear();
      await events?.close();
      await flows.close();
      await queue.close();
      await release();
    },
  };
}
