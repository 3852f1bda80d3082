import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  RetryableStorageError,
  assignWork,
  createModel,
  createStoreRouter,
  digestUpdate,
  encodeCheckpoint,
  hyperparameterPresets,
  initParameters,
  modelPresets,
  selectBackend,
  silentLogger,
  startRedisServer,
} from '@tessera/core';
import type { Corpus, RedisServer, UpdateReader } from '@tessera/core';
import { testCorpus } from './_test/testCorpus.js';
import { trainUpdate } from './_test/trainUpdate.js';
import { applyWindowScores } from './applyWindowScores.js';
import { createEvaluationQueue } from './createEvaluationQueue.js';
import type { EvaluationQueue } from './createEvaluationQueue.js';
import { createEvaluationWorker } from './createEvaluationWorker.js';
import type { CreateEvaluationWorkerParameters, EvaluationWorker } from './createEvaluationWorker.js';
import type { EvaluationResult } from './evaluateUpdate.js';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { readScores } from './readScores.js';
import { updateBytesKey, validatorKeys } from './validatorKeys.js';

const hyperparameters = hyperparameterPresets.tiny;
const modelConfig = modelPresets.tiny;
const window = 4;
const blockHash = `0x${'c3'.repeat(32)}` as const;

let server: RedisServer;
let redis: Redis;
let corpus: Corpus;
let theta: Float32Array;
let thetaHash: `0x${string}`;
/** Objects behind `mem:` URIs; a URI listed in `failures` fails that many more reads first. */
const objects = new Map<string, Uint8Array>();
const failures = new Map<string, number>();
const reads = new Map<string, number>();
const memReader: UpdateReader = async ({ uri }) => {
  reads.set(uri, (reads.get(uri) ?? 0) + 1);
  const left = failures.get(uri) ?? 0;
  if (left > 0) {
    failures.set(uri, left - 1);
    throw new RetryableStorageError('timeout', 'Store timed out.', { target: uri });
  }
  const bytes = objects.get(uri);
  if (bytes === undefined) throw new Error(`no object at ${uri}`);
  return bytes;
};
const router = createStoreRouter({ file: false, readers: { 'mem:': memReader } });

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  corpus = await testCorpus({ pageTokens: hyperparameters.pageTokens });
  theta = initParameters({ config: modelConfig, seed: BigInt(hyperparameters.runSeed) });
  const checkpoint = encodeCheckpoint({ config: modelConfig, window, parameters: theta });
  thetaHash = checkpoint.modelHash;
  objects.set('mem:theta', checkpoint.bytes);
});
afterAll(async () => {
  await redis.quit();
  await server.stop();
});

let queueName: string;
let queue: EvaluationQueue | undefined;
let worker: EvaluationWorker | undefined;
beforeEach(() => {
  queueName = `evaluations-${randomBytes(6).toString('hex')}`;
  failures.clear();
  reads.clear();
});
afterEach(async () => {
  await worker?.close();
  await queue?.queue.obliterate({ force: true });
  await queue?.close();
  worker = undefined;
  queue = undefined;
});

const startQueue = () => {
  queue = createEvaluationQueue({ connection: redis, queueName, backoffMs: 10 });
  return queue;
};
const startWorker = (overrides: Partial<CreateEvaluationWorkerParameters> = {}) => {
  worker = createEvaluationWorker({
    connection: server.url,
    queueName,
    corpus,
    hyperparameters,
    modelConfig,
    router,
    ...overrides,
  });
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
    expect(await evaluations.queue.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
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

  it('retries a download that timed out and completes on the next attempt', async () => {
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
    // Two attempts: the one that timed out and the one that completed.
    expect((await evaluations.queue.getJob('w-4-uid-2'))?.attemptsMade).toBe(2);
  });

  it('calls an update missing when its download still fails on the last attempt', async () => {
    const evaluations = startQueue();
    const job = jobFor(3, new Uint8Array([1]));
    failures.set(job.uri, 10);
    await evaluations.add({ jobs: [job] });
    startWorker({ evaluate: fakeEvaluate });
    expect(await finished(evaluations, 3)).toEqual({
      state: 'completed',
      result: { status: 'rejected', reason: 'missing', score: 0 },
    });
    expect(reads.get(job.uri)).toBe(3);
  });

  it('fails a job for good, without retrying, when θ_w is not the model the job names', async () => {
    const evaluations = startQueue();
    const job = jobFor(5, new Uint8Array([1]), {
      theta: { uri: 'mem:theta', modelHash: `0x${'11'.repeat(32)}` },
    });
    await evaluations.add({ jobs: [job] });
    startWorker({ evaluate: fakeEvaluate });
    const state = await finished(evaluations, 5);
    expect(state).toMatchObject({ state: 'failed' });
    expect((state as { error: string }).error).toContain('θ_w could not be loaded');
    expect((await evaluations.queue.getJob('w-4-uid-5'))?.attemptsMade).toBe(1);
  });

  it('fails malformed job data for good', async () => {
    const evaluations = startQueue();
    const job = jobFor(6, new Uint8Array([1]), { normBound: -1 });
    await evaluations.add({ jobs: [job] });
    startWorker({ evaluate: fakeEvaluate });
    const state = await finished(evaluations, 6);
    expect(state).toMatchObject({ state: 'failed' });
    expect((state as { error: string }).error).toContain('Evaluation job data is malformed');
    expect((await evaluations.queue.getJob('w-4-uid-6'))?.attemptsMade).toBe(1);
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
