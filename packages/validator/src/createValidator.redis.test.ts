import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  aggregateUpdates,
  assignWork,
  createFileStore,
  createMetrics,
  createModel,
  createShutdown,
  createStoreRouter,
  decodeUpdate,
  digestUpdate,
  heldOutBatches,
  initParameters,
  meanLoss,
  parseWindowSample,
  sampleTokens,
  modelHash,
  modelPresets,
  parseHyperparameters,
  selectBackend,
  setParameters,
  silentLogger,
  startBlockOfWindow,
  windowMetricsKey,
  windowSampleField,
} from '@tessera/core';
import type { Corpus, Model, UpdateStore } from '@tessera/core';
import { testCorpus } from './_test/testCorpus.js';
import { trainUpdate } from './_test/trainUpdate.js';
import { createValidator } from './createValidator.js';
import type { CreateValidatorParameters, Validator } from './createValidator.js';
import type { EvaluationJobData } from './evaluationJobSchema.js';
import { readScores } from './readScores.js';
import { validatorKeys } from './validatorKeys.js';
import { createMemoryChain } from '@tessera/core/testing';
import type { MemoryChain } from '@tessera/core/testing';
import { startRedisServer } from '@tessera/devtools';
import type { RedisServer } from '@tessera/devtools';

const timing = { startBlock: 0, blocksPerWindow: 10, windowsPerEpoch: 2, deadlineGraceBlocks: 2 };
const { startBlock: _startBlock, ...windowTiming } = timing;
const hyperparameters = parseHyperparameters({
  ...windowTiming,
  checkpointEveryWindows: 1,
  scoreEmaAlpha: 0.5,
});
const modelConfig = modelPresets.tiny;

let server: RedisServer;
let redis: Redis;
let corpus: Corpus;
let model: Model;
let dir: string;
let minerStore: UpdateStore;
let chain: MemoryChain;
const theta0 = initParameters({ config: modelConfig, seed: BigInt(hyperparameters.runSeed) });

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
  server = await startRedisServer();
  redis = new Redis(server.url, { maxRetriesPerRequest: null });
  corpus = await testCorpus({ pageTokens: hyperparameters.pageTokens });
  model = createModel({ config: modelConfig, seed: 1n });
});
afterAll(async () => {
  model.dispose();
  await redis.quit();
  await server.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-validator-'));
  minerStore = createFileStore({ root: join(dir, 'miners') });
  chain = createMemoryChain({ timing, validators: 1, miners: 3 });
});
afterEach(async () => {
  await redis.flushall();
  await rm(dir, { recursive: true, force: true });
});

const startValidator = (overrides: Partial<CreateValidatorParameters> = {}) => {
  const shutdown = createShutdown();
  const validator = createValidator({
    common: {
      options: {},
      logger: silentLogger,
      metrics: createMetrics({ prefix: 'tessera_validator', defaultMetrics: false }),
      shutdown,
    },
    chain,
    redis: server.url,
    store: createFileStore({ root: join(dir, 'validator') }),
    router: createStoreRouter(),
    corpus,
    hyperparameters,
    modelConfig,
    stateDir: join(dir, 'state'),
    evalSecret: new Uint8Array(32).fill(3),
    pollMs: 20,
    ...overrides,
  });
  return { validator, shutdown, done: validator.run() };
};

/** Mines whatever the validator waits for until it has finished `window`. */
async function driveUntil(validator: Validator, window: number): Promise<void> {
  for (;;) {
    const block = await chain.nextWait();
    if ((validator.status().lastWindow ?? -1) >= window) return;
    chain.mineTo(block);
  }
}

async function commit(uid: number, bytes: Uint8Array, window = 0): Promise<void> {
  const { uri } = await minerStore.put({ key: `w${window}/uid-${uid}.tsu`, bytes });
  chain.addCommitment({
    uid,
    window,
    digest: digestUpdate(bytes),
    uri,
    modelHash: modelHash({ parameters: theta0 }),
  });
}

const pagesOf = async (uid: number, window: number) =>
  assignWork({
    runSeed: hyperparameters.runSeed,
    window,
    uid,
    blockHash: await chain.blockHash(startBlockOfWindow({ window, ...timing })),
    trainPageCount: corpus.trainPageCount,
    pagesPerWindow: hyperparameters.pagesPerWindow,
  }).pages;

describe('createValidator', () => {
  it('runs the window loop: verdicts, averages, aggregate, checkpoint, weights, settlement; a restart repeats none of them', async () => {
    // Window 0: uid 1 honest, uid 2 trained on uid 3's pages, uid 3 a copy of uid 1's bytes.
    const honest = await trainUpdate({
      model,
      theta: theta0,
      corpus,
      hyperparameters,
      pages: await pagesOf(1, 0),
      window: 0,
    });
    const foreign = await trainUpdate({
      model,
      theta: theta0,
      corpus,
      hyperparameters,
      pages: await pagesOf(3, 0),
      window: 0,
    });
    chain.mineTo(1);
    await commit(1, honest);
    await commit(2, foreign);
    chain.mineTo(2);
    await commit(3, honest);

    const first = startValidator();
    await driveUntil(first.validator, 1);
    await first.shutdown.kill();
    await first.done;

    const keys = validatorKeys({ subnet: chain.subnetId, hotkey: chain.address });
    const verdicts = await redis.hgetall(keys.results(0));
    expect(JSON.parse(verdicts['1'] as string)).toMatchObject({ status: 'scored' });
    expect(JSON.parse(verdicts['2'] as string)).toMatchObject({ status: 'rejected', reason: 'not-assigned' });
    expect(JSON.parse(verdicts['3'] as string)).toEqual({
      status: 'rejected',
      reason: 'duplicate',
      score: 0,
    });
    const score = (JSON.parse(verdicts['1'] as string) as { score: number }).score;
    expect(score).toBeGreaterThan(0);
    expect(JSON.parse((await redis.hget(keys.results(1), '1')) as string)).toMatchObject({
      reason: 'missing',
    });
    // Window 0 then window 1 (nothing committed): s = 0.5·score, then halved.
    const averages = await readScores({ redis, keys });
    expect(averages).toEqual(
      new Map([
        [1, (0.5 * score) / 2],
        [2, 0],
        [3, 0],
      ]),
    );

    // The aggregate of window 0 is uid 1 alone, θ_1 = θ_0 − Δ̂_1; window 1's is empty.
    const expected = aggregateUpdates({
      base: theta0,
      updates: [{ uid: 1, ...decodeUpdate({ bytes: honest }) }],
      learningRate: hyperparameters.outerLearningRate,
    });
    expect(
      chain.published.aggregates.map(({ window, uids, modelHash: hash }) => ({ window, uids, hash })),
    ).toEqual([
      { window: 0, uids: [1], hash: modelHash({ parameters: expected }) },
      { window: 1, uids: [], hash: modelHash({ parameters: expected }) },
    ]);
    expect(chain.published.checkpoints).toEqual([
      expect.objectContaining({ window: 1, modelHash: modelHash({ parameters: expected }) }),
    ]);
    // Epoch 0 is windows 0 and 1: weights committed once, all on uid 1. Epoch 0 settles only
    // from epoch 2 on (its weights are revealed during epoch 1), so not yet.
    expect(chain.published.weights).toEqual([expect.objectContaining({ uids: [1], weights: [1] })]);
    expect(chain.published.settled).toEqual([]);
    expect(first.validator.status()).toMatchObject({ phase: 'stopped', lastWindow: 1, uid: 0 });
    // Window 1 began by holding θ_1: its loss on the first held-out pages, where the API reads it.
    const heldOut = heldOutBatches({
      corpus,
      pages: hyperparameters.heldOutPages,
      batchSize: hyperparameters.batchSize,
    });
    setParameters({ model, parameters: expected });
    const reported = await redis.hget(windowMetricsKey({ subnet: chain.subnetId, window: 0 }), 'heldOutLoss');
    expect(Number(reported)).toBeCloseTo(await meanLoss({ model, batches: heldOut }), 5);
    // Beside it, the same model's greedy continuation of the default prompt, for the dashboard.
    const greedy = await sampleTokens({
      model,
      prompt: corpus.tokenizer.encode('The'),
      maxTokens: 24,
      temperature: 0,
    });
    expect(
      parseWindowSample(
        await redis.hget(windowMetricsKey({ subnet: chain.subnetId, window: 0 }), windowSampleField),
      ),
    ).toEqual({ prompt: 'The', text: corpus.tokenizer.decode(greedy.tokens) });

    // Forget the progress marker: a restart goes through window 1 again, but its averages,
    // weights and aggregate stay as they are.
    await redis.del(keys.lastWindow);
    const second = startValidator();
    await driveUntil(second.validator, 1);
    await second.shutdown.kill();
    await second.done;
    expect(await readScores({ redis, keys })).toEqual(averages);
    expect(chain.published.weights).toHaveLength(1);
    expect(chain.published.aggregates).toHaveLength(2);
    expect(chain.published.settled).toEqual([]);
  });

  it('gives downloads half the time left before the publish cutoff, and counts a commitment whose verdict is not in by then as missing:late', async () => {
    chain.mineTo(1);
    await commit(1, new Uint8Array([1, 2, 3]));
    // No worker: the job waits in the queue until the loop gives up on it.
    const run = startValidator({ inProcessWorkers: 0, blockTimeMs: 1_000 });
    const keys = validatorKeys({ subnet: chain.subnetId, hotkey: chain.address });
    const queue = new Queue<EvaluationJobData>('evaluations', { connection: redis, prefix: keys.prefix });
    // Window 2 starts at block 20; the cutoff is publishMarginBlocks (2) before it.
    const cutoff = startBlockOfWindow({ window: 2, ...timing }) - 2;
    let budget: number | undefined;
    try {
      while ((run.validator.status().lastWindow ?? -1) < 0) {
        const job = await queue.getJob('w-0-uid-1');
        if (job !== undefined) {
          budget ??= job.data.fetchTimeoutMs;
          chain.mineTo(cutoff);
        } else {
          const block = await Promise.race([chain.nextWait(), new Promise((r) => setTimeout(r, 50))]);
          if (typeof block === 'number') chain.mineTo(block);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await run.shutdown.kill();
      await run.done;
      await queue.close();
    }
    // Enqueued at the deadline (block 12), 6 blocks of 1 s before the cutoff: 3 s.
    expect(budget).toBe(3_000);
    expect(JSON.parse((await redis.hget(keys.results(0), '1')) as string)).toEqual({
      status: 'rejected',
      reason: 'missing:late',
      score: 0,
    });
    // Uids that committed nothing stay plain `missing`.
    expect(JSON.parse((await redis.hget(keys.results(0), '2')) as string)).toMatchObject({
      reason: 'missing',
    });
  });
});
