import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  RetryableStorageError,
  assignWork,
  buildOptions,
  createMetrics,
  createModel,
  createShutdown,
  createStoreRouter,
  digestUpdate,
  encodeCheckpoint,
  hyperparameterPresets,
  initParameters,
  modelPresets,
  selectBackend,
  silentLogger,
} from '@tessera/core';
import type { Common, Corpus, UpdateReader } from '@tessera/core';
import { testCorpus } from './_test/testCorpus.js';
import { trainUpdate } from './_test/trainUpdate.js';
import { applyWindowScores } from './applyWindowScores.js';
import { createEvaluationQueue, downloadQueueName } from './createEvaluationQueue.js';
import type { EvaluationQueue } from './createEvaluationQueue.js';
import { createEvaluationWorker } from './createEvaluationWorker.js';
import type { CreateEvaluationWorkerParameters, EvaluationWorker } from './createEvaluationWorker.js';
import type { EvaluationResult } from './evaluateUpdate.js';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { createValidatorRouter } from './createValidatorRouter.js';
import { readScores } from './readScores.js';
import { workerOptionsSchema } from './workerOptions.js';
import { updateBytesKey, validatorKeys } from './validatorKeys.js';
import { startRedisServer } from '@tessera/devtools';
import type { RedisServer } from '@tessera/devtools';

const hyperparameters = hyperparameterPresets.tiny;
const modelConfig = modelPresets.tiny;
const window = 4;
const blockHash = `0x${'c3'.repeat(32)}` as const;

let server: RedisServer;
let redis: Redis;
let corpus: Corpus;
let theta: Float32Array;
let thetaHash: `0x${string}`;
/** Objects behind `mem:` URIs; a URI listed in `failures` fails that many more reads first (connection refused). */
const objects = new Map<string, Uint8Array>();
const failures = new Map<string, number>();
const reads = new Map<string, number>();
const memReader: UpdateReader = async ({ uri }) => {
  reads.set(uri, (reads.get(uri) ?? 0) + 1);
  const left = failures.get(uri) ?? 0;
  if (left > 0) {
    failures.set(uri, left - 1);
    throw new RetryableStorageError('connection', 'Could not reach the store.', { target: uri });
  }
  const bytes = objects.get(uri);
  if (bytes === undefined) throw new Error(`no object at ${uri}`);
  return bytes;
};
const router = createStoreRouter({ file: false, readers: { 'mem:': memReader } });

/**
 * A real HTTP store that trickles: `/slow/<name>` answers 1000 bytes, one every 50 ms (50 s in
 * all); `/huge/<name>` declares a body larger than any update may be. Requests are counted by path.
 */
let slowStore: Server;
let slowBase: string;
const slowRequests = new Map<string, number>();

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  corpus = await testCorpus({ pageTokens: hyperparameters.pageTokens });
  theta = initParameters({ config: modelConfig, seed: BigInt(hyperparameters.runSeed) });
  const checkpoint = encodeCheckpoint({ config: modelConfig, window, parameters: theta });
  thetaHash = checkpoint.modelHash;
  objects.set('mem:theta', checkpoint.bytes);
  slowStore = createServer((request, response) => {
    const path = request.url ?? '';
    slowRequests.set(path, (slowRequests.get(path) ?? 0) + 1);
    if (path.startsWith('/huge/')) {
      response.writeHead(200, { 'content-length': String(hyperparameters.maxUpdateBytes + 1) });
      response.flushHeaders();
      return;
    }
    response.writeHead(200, { 'content-length': '1000' });
    const timer = setInterval(() => response.write(Buffer.from([7])), 50);
    response.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => slowStore.listen({ host: '127.0.0.1', port: 0 }, resolve));
  slowBase = `http://127.0.0.1:${(slowStore.address() as { port: number }).port}`;
});
afterAll(async () => {
  slowStore.closeAllConnections();
  await new Promise<void>((resolve) => slowStore.close(() => resolve()));
  await redis.quit();
  await server.stop();
});

let queueName: string;
let queue: EvaluationQueue | undefined;
let worker: EvaluationWorker | undefined;
/** The download jobs behind the evaluations, as BullMQ holds them. */
let downloadJobs: Queue<EvaluationJobData>;
beforeEach(() => {
  queueName = `evaluations-${randomBytes(6).toString('hex')}`;
  downloadJobs = new Queue(downloadQueueName({ queueName }), { connection: redis });
  failures.clear();
  reads.clear();
  slowRequests.clear();
});
afterEach(async () => {
  await worker?.close();
  await queue?.queue.obliterate({ force: true });
  await queue?.close();
  await downloadJobs.obliterate({ force: true });
  await downloadJobs.close();
  worker = undefined;
  queue = undefined;
});

const testCommon = (): Common => ({
  options: {},
  logger: silentLogger,
  metrics: createMetrics({ prefix: 'tessera_test', defaultMetrics: false }),
  shutdown: createShutdown(),
});
const startQueue = () => {
  queue = createEvaluationQueue({ connection: redis, queueName, backoffMs: 10 });
  return queue;
};
/** A worker's parameters for this suite's queue, with `overrides`. */
const workerParameters = (
  overrides: Partial<CreateEvaluationWorkerParameters> = {},
): CreateEvaluationWorkerParameters => ({
  common: testCommon(),
  connection: server.url,
  queueName,
  corpus,
  hyperparameters,
  modelConfig,
  router,
  ...overrides,
});
const startWorker = (overrides: Partial<CreateEvaluationWorkerParameters> = {}) => {
  worker = createEvaluationWorker(workerParameters(overrides));
  return worker;
};
const assignmentOf = (uid: number) =>
  assignWork({
    runSeed: hyperparameters.runSeed,
    window,
    uid,
    blockHash,
    trainPageCount: corpus.trainPageCount,
    pagesPerWindow: hyperparameters.pagesPerWindow,
  });
const jobFor = (
  uid: number,
  bytes: Uint8Array,
  overrides: Partial<EvaluationJobData> = {},
): EvaluationJobData => {
  const uri = `mem:update-${uid}`;
  objects.set(uri, bytes);
  const { pages, shard } = assignmentOf(uid);
  return {
    window,
    uid,
    digest: digestUpdate(bytes),
    uri,
    modelHash: thetaHash,
    shard,
    pages,
    // Pages 0 to 3 are outside the assignment of every uid here often enough; the verdict
    // checks below do not depend on which unseen pages are used.
    unseenPages: [...Array(corpus.trainPageCount).keys()].filter((p) => !pages.includes(p)).slice(0, 4),
    normBound: 1e3,
    theta: { uri: 'mem:theta', modelHash: thetaHash },
    ...overrides,
  };
};
/** Polls the queue until the job has finished. */
const finished = async (evaluations: EvaluationQueue, uid: number) => {
  for (;;) {
    const state = await evaluations.state({ window, uid });
    if (state.state !== 'pending') return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const fakeEvaluate = async (): Promise<EvaluationResult> => ({ status: 'scored', score: 0.25 });

describe('evaluation queue and worker', () => {
  it('evaluates a real update end to end and keeps the verdict with the job, enqueued once', async () => {
    const evaluations = startQueue();
    const model = createModel({ config: modelConfig, seed: 1n });
    const { pages } = assignmentOf(1);
    const honest = await trainUpdate({ model, theta, corpus, hyperparameters, pages, window });
    model.dispose();
    const job = jobFor(1, honest);
    await evaluations.add({ jobs: [job] });
    await evaluations.add({ jobs: [job] });
    // One evaluation, waiting on one download.
    expect(await evaluations.queue.getJobCounts('waiting-children')).toMatchObject({ 'waiting-children': 1 });
    expect(await downloadJobs.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    startWorker();
    const state = await finished(evaluations, 1);
    expect(state).toMatchObject({ state: 'completed', result: { status: 'scored' } });
    const result = (state as { result: EvaluationResult }).result;
    expect(result.score).toBeGreaterThan(0);
    expect(result.losses?.own.after).toBeLessThan(result.losses!.own.before);
    // The worker leaves the verified bytes for the window loop.
    const stored = await redis.getBuffer(updateBytesKey({ prefix: 'bull', window, uid: 1 }));
    expect(stored && new Uint8Array(stored)).toEqual(honest);
  });

  it('retries a download whose store could not be reached and completes on the next attempt', async () => {
    const evaluations = startQueue();
    const job = jobFor(2, new Uint8Array([1, 2, 3]));
    failures.set(job.uri, 1);
    await evaluations.add({ jobs: [job] });
    startWorker({ evaluate: fakeEvaluate });
    expect(await finished(evaluations, 2)).toEqual({
      state: 'completed',
      result: { status: 'scored', score: 0.25 },
    });
    expect(reads.get(job.uri)).toBe(2);
    // Two attempts of the download: the one that failed and the one that completed.
    expect((await downloadJobs.getJob('w-4-uid-2'))?.attemptsMade).toBe(2);
    expect((await evaluations.queue.getJob('w-4-uid-2'))?.attemptsMade).toBe(1);
  });

  it('calls an update missing:unreachable when its download still fails on the last attempt', async () => {
    const evaluations = startQueue();
    const job = jobFor(3, new Uint8Array([1]));
    failures.set(job.uri, 10);
    await evaluations.add({ jobs: [job] });
    startWorker({ evaluate: fakeEvaluate });
    expect(await finished(evaluations, 3)).toEqual({
      state: 'completed',
      result: { status: 'rejected', reason: 'missing:unreachable', score: 0 },
    });
    expect(reads.get(job.uri)).toBe(3);
  });

  it('refuses, with the defaults of a public network, URIs that point at its disk or its network', async () => {
    const evaluations = startQueue();
    const folder = await mkdtemp(join(tmpdir(), 'tessera-refused-'));
    const bytes = new Uint8Array([1, 2, 3]);
    const file = join(folder, 'update.bin');
    await writeFile(file, bytes);
    // The defaults a validator's and a worker's options give, no flags passed.
    const options = buildOptions({ schema: workerOptionsSchema, argv: ['--prefix', 'p'], env: {} });
    const jobs = [
      jobFor(40, bytes, { uri: pathToFileURL(file).href, digest: digestUpdate(bytes) }),
      jobFor(41, bytes, { uri: `${slowBase}/fast/41`, digest: digestUpdate(bytes) }),
    ];
    await evaluations.add({ jobs });
    startWorker({ evaluate: fakeEvaluate, router: createValidatorRouter(options) });
    try {
      for (const uid of [40, 41]) {
        expect(await finished(evaluations, uid)).toEqual({
          state: 'completed',
          result: { status: 'rejected', reason: 'missing:refused', score: 0 },
        });
      }
      // The same URIs are read once the operator allows them (every participant on one machine).
      const permissive = buildOptions({
        schema: workerOptionsSchema,
        argv: ['--prefix', 'p', '--read-file-uris', '--no-block-private-addresses'],
        env: {},
      });
      const reader = createValidatorRouter(permissive);
      expect(await reader.get({ uri: jobs[0]!.uri, maxBytes: 16, timeoutMs: 2_000 })).toEqual(bytes);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('cuts off a trickling download at its budget, capped by the worker, and never retries it', async () => {
    const evaluations = startQueue();
    const budgeted = jobFor(30, new Uint8Array([1]), { uri: `${slowBase}/slow/30`, fetchTimeoutMs: 250 });
    const capped = jobFor(31, new Uint8Array([1]), { uri: `${slowBase}/slow/31`, fetchTimeoutMs: 60_000 });
    await evaluations.add({ jobs: [budgeted, capped] });
    startWorker({ evaluate: fakeEvaluate, fetchTimeoutMs: 800 });
    const missing = {
      state: 'completed',
      result: { status: 'rejected', reason: 'missing:timeout', score: 0 },
    };
    expect(await finished(evaluations, 30)).toEqual(missing);
    expect(await finished(evaluations, 31)).toEqual(missing);
    const took = async (uid: number) => {
      const job = await downloadJobs.getJob(`w-4-uid-${uid}`);
      return (job?.finishedOn ?? 0) - (job?.processedOn ?? 0);
    };
    // Of the 50 s the store would take, the budget (250 ms) and the worker's cap (800 ms).
    expect(await took(30)).toBeGreaterThanOrEqual(240);
    expect(await took(30)).toBeLessThan(780);
    expect(await took(31)).toBeGreaterThanOrEqual(780);
    expect(await took(31)).toBeLessThan(5_000);
    expect([slowRequests.get('/slow/30'), slowRequests.get('/slow/31')]).toEqual([1, 1]);
    expect((await downloadJobs.getJob('w-4-uid-30'))?.attemptsMade).toBe(1);
  });

  it('calls an update larger than the byte cap missing:too-large without reading it', async () => {
    const evaluations = startQueue();
    await evaluations.add({ jobs: [jobFor(32, new Uint8Array([1]), { uri: `${slowBase}/huge/32` })] });
    startWorker({ evaluate: fakeEvaluate });
    expect(await finished(evaluations, 32)).toEqual({
      state: 'completed',
      result: { status: 'rejected', reason: 'missing:too-large', score: 0 },
    });
    expect(slowRequests.get('/huge/32')).toBe(1);
  });

  it('evaluates fast updates while slow ones trickle: downloads run side by side and hold no model', async () => {
    const evaluations = startQueue();
    // Five slow stores first in the queue, then three fast ones; one model.
    const slow = [40, 41, 42, 43, 44];
    const fast = [45, 46, 47];
    await evaluations.add({
      jobs: [
        ...slow.map((uid) =>
          jobFor(uid, new Uint8Array([uid]), { uri: `${slowBase}/slow/${uid}`, fetchTimeoutMs: 3_000 }),
        ),
        ...fast.map((uid) => jobFor(uid, new Uint8Array([uid]), { fetchTimeoutMs: 3_000 })),
      ],
    });
    let running = 0;
    let most = 0;
    const evaluated: number[] = [];
    startWorker({
      concurrency: 1,
      downloads: 8,
      evaluate: async ({ commitment }) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running--;
        evaluated.push(commitment.uid);
        return { status: 'scored', score: 0.25 };
      },
    });
    for (const uid of fast) {
      expect(await finished(evaluations, uid)).toEqual({
        state: 'completed',
        result: { status: 'scored', score: 0.25 },
      });
    }
    // Every fast update is in while every slow one is still trickling in.
    for (const uid of slow) expect(await evaluations.state({ window, uid })).toEqual({ state: 'pending' });
    expect(evaluated.sort()).toEqual(fast);
    expect(most).toBe(1);
    for (const uid of slow) {
      expect(await finished(evaluations, uid)).toMatchObject({ result: { reason: 'missing:timeout' } });
    }
    expect(evaluated.sort()).toEqual(fast);
  });

  it('hands each evaluation to a worker with a model free, not to the one that downloaded most', async () => {
    const evaluations = startQueue();
    const uids = [50, 51, 52, 53];
    await evaluations.add({ jobs: uids.map((uid) => jobFor(uid, new Uint8Array([uid]))) });
    const slowEvaluate = async (): Promise<EvaluationResult> => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return { status: 'scored', score: 0.25 };
    };
    const [a, b] = ['a', 'b'].map((name) =>
      createEvaluationWorker(workerParameters({ name, evaluate: slowEvaluate })),
    );
    try {
      for (const uid of uids) expect(await finished(evaluations, uid)).toMatchObject({ state: 'completed' });
      const by = await Promise.all(
        uids.map(async (uid) => (await evaluations.queue.getJob(`w-4-uid-${uid}`))?.processedBy),
      );
      expect(new Set(by)).toEqual(new Set(['a', 'b']));
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  });

  it('discards an evaluation still waiting for its download, the download with it', async () => {
    const evaluations = startQueue();
    await evaluations.add({ jobs: [jobFor(54, new Uint8Array([1]))] });
    expect(await evaluations.state({ window, uid: 54 })).toEqual({ state: 'pending' });
    await evaluations.discard({ window, uid: 54 });
    expect(await evaluations.state({ window, uid: 54 })).toEqual({ state: 'absent' });
    expect(await downloadJobs.getJob('w-4-uid-54')).toBeUndefined();
  });

  it('downloads in the evaluation itself for a job enqueued without a download', async () => {
    const evaluations = startQueue();
    const job = jobFor(55, new Uint8Array([1, 2]));
    // As a validator of an earlier release enqueued its jobs.
    await evaluations.queue.add('evaluate', job, { jobId: 'w-4-uid-55' });
    startWorker({ evaluate: fakeEvaluate });
    expect(await finished(evaluations, 55)).toEqual({
      state: 'completed',
      result: { status: 'scored', score: 0.25 },
    });
    expect(reads.get(job.uri)).toBe(1);
  });

  it('stops the downloads in flight when the worker closes', async () => {
    const evaluations = startQueue();
    await evaluations.add({
      jobs: [jobFor(48, new Uint8Array([1]), { uri: `${slowBase}/slow/48`, fetchTimeoutMs: 60_000 })],
    });
    const running = startWorker({ evaluate: fakeEvaluate });
    for (let i = 0; i < 200 && slowRequests.get('/slow/48') === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(slowRequests.get('/slow/48')).toBe(1);
    const closing = Date.now();
    await running.close();
    expect(Date.now() - closing).toBeLessThan(3_000);
    // Not a verdict: the job goes back to the queue for another worker.
    expect(await evaluations.state({ window, uid: 48 })).toEqual({ state: 'pending' });
  });

  it.each([
    {
      what: 'θ_w is not the model the job names',
      uid: 5,
      change: { theta: { uri: 'mem:theta', modelHash: `0x${'11'.repeat(32)}` as const } },
      error: 'θ_w could not be loaded',
    },
    {
      what: 'the job data is malformed',
      uid: 6,
      change: { normBound: -1 },
      error: 'Evaluation job data is malformed',
    },
  ])('fails a job for good, without retrying, when $what', async ({ uid, change, error }) => {
    const evaluations = startQueue();
    await evaluations.add({ jobs: [jobFor(uid, new Uint8Array([1]), change)] });
    startWorker({ evaluate: fakeEvaluate });
    const state = await finished(evaluations, uid);
    expect(state).toMatchObject({ state: 'failed' });
    expect((state as { error: string }).error).toContain(error);
    expect((await evaluations.queue.getJob(`w-4-uid-${uid}`))?.attemptsMade).toBe(1);
  });

  it('leaves waiting jobs discardable and reports absent ones', async () => {
    const evaluations = startQueue();
    await evaluations.add({ jobs: [jobFor(7, new Uint8Array([1]))] });
    expect(await evaluations.state({ window, uid: 7 })).toEqual({ state: 'pending' });
    await evaluations.discard({ window, uid: 7 });
    expect(await evaluations.state({ window, uid: 7 })).toEqual({ state: 'absent' });
  });
});

describe('applyWindowScores', () => {
  const result = (score: number): EvaluationResult =>
    score > 0 ? { status: 'scored', score } : { status: 'rejected', reason: 'missing', score: 0 };
  let keys: ReturnType<typeof validatorKeys>;
  beforeEach(() => {
    keys = validatorKeys({ subnet: `0x${randomBytes(20).toString('hex')}`, hotkey: '0xAbC' });
  });
  afterEach(async () => {
    const stale = await redis.keys(`${keys.prefix}:*`);
    if (stale.length > 0) await redis.del(...stale);
  });

  it('applies a window once, even when the apply step runs twice at once and again later', async () => {
    const scores = [
      { uid: 1, hotkey: '0xAA', result: result(0.4) },
      { uid: 2, hotkey: '0xBB', result: result(0) },
    ];
    const apply = () => applyWindowScores({ redis, keys, window: 7, scores, alpha: 0.25 });
    const runs = await Promise.all([apply(), apply()]);
    expect(runs.sort()).toEqual([false, true]);
    expect(await apply()).toBe(false);
    expect(await readScores({ redis, keys })).toEqual(
      new Map([
        [1, 0.1],
        [2, 0],
      ]),
    );
    expect(JSON.parse((await redis.hget(keys.results(7), '1')) as string)).toEqual({
      status: 'scored',
      score: 0.4,
    });
    expect(await redis.sismember(keys.applied, '7')).toBe(1);
  });

  it('decays missing uids, restarts a uid whose hotkey changed, and drops uids that left', async () => {
    await applyWindowScores({
      redis,
      keys,
      window: 1,
      alpha: 0.5,
      scores: [
        { uid: 1, hotkey: '0xAA', result: result(0.4) },
        { uid: 2, hotkey: '0xBB', result: result(0.2) },
        { uid: 3, hotkey: '0xCC', result: result(0.8) },
      ],
    });
    await applyWindowScores({
      redis,
      keys,
      window: 2,
      alpha: 0.5,
      scores: [
        { uid: 1, hotkey: '0xAA', result: result(0) },
        { uid: 2, hotkey: '0xDD', result: result(0.2) },
      ],
    });
    expect(await readScores({ redis, keys })).toEqual(
      new Map([
        [1, 0.1],
        [2, 0.1],
      ]),
    );
  });
});
