import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploySubnet } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import {
  aggregateUpdates,
  assignWork,
  createCorpus,
  createEvmChain,
  createFileStore,
  createLogger,
  createMetrics,
  createShutdown,
  createStoreRouter,
  deadlineOfWindow,
  decodeUpdate,
  digestUpdate,
  initParameters,
  modelHash,
  modelPresets,
  NonRetryableStorageError,
  parameterCount,
  parseHyperparameters,
  selectBackend,
  silentLogger,
  sleep,
  startBlockOfWindow,
} from '@tessera/core';
import type { AggregateMember, Corpus, EvmChain, Hex32, Hyperparameters, Shutdown } from '@tessera/core';
import { JsonRpcProvider, Wallet, id, parseEther } from 'ethers';
import { tempDir } from './_test/tempDir.js';
import { createErrorFeedbackStore } from './createErrorFeedbackStore.js';
import { createMiner } from './createMiner.js';
import type { Miner } from './createMiner.js';
import { honest } from './strategies/honest.js';
import type { Strategy } from './strategies/types.js';
import { startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';

/** anvil's first dev account: deploys the subnet, holds the genesis tokens, and validates here. */
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const MINER_KEY = id('tessera-miner-chain-test');
const LATE_MINER_KEY = id('tessera-miner-chain-test-late');
const COPYCAT_KEY = id('tessera-miner-chain-test-copycat');
const TOKEN = 10n ** 18n;
const config = modelPresets.tiny;
const count = parameterCount({ config });

let anvil: Anvil;
let provider: JsonRpcProvider;
let deployment: Deployment;
let validator: EvmChain;
let minerChain: EvmChain;
let lateChain: EvmChain;
let copycatChain: EvmChain;
let testValidator: ReturnType<typeof createTestValidator>;
let minerUid: number;
let corpus: Corpus;
let h: Hyperparameters;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  [anvil, corpus, dir] = await Promise.all([
    startAnvil(),
    createCorpus({ vocabSize: 512, pageTokens: 64, cacheDir: join(tmpdir(), 'tessera-test-cache') }),
    tempDir(),
    selectBackend({ preferred: 'wasm', logger: silentLogger, env: {} }),
  ]);
  provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true, cacheTimeout: -1 });
  h = parseHyperparameters({
    blocksPerWindow: 10,
    windowsPerEpoch: 100,
    deadlineGraceBlocks: 2,
    innerSteps: 2,
    batchSize: 4,
    pagesPerWindow: 4,
  });
  deployment = await deploySubnet({
    signer: new Wallet(DEPLOYER_KEY, provider),
    params: {
      blocksPerWindow: h.blocksPerWindow,
      windowsPerEpoch: h.windowsPerEpoch,
      deadlineGraceBlocks: h.deadlineGraceBlocks,
      minValidatorStake: 100n * TOKEN,
      stakeLockBlocks: 0,
    },
  });
  for (const key of [MINER_KEY, LATE_MINER_KEY, COPYCAT_KEY]) {
    await anvil.rpc('anvil_setBalance', [new Wallet(key).address, `0x${parseEther('10').toString(16)}`]);
  }
  const chainOf = (privateKey: string) =>
    createEvmChain({ rpcUrl: anvil.rpcUrl, deployment, privateKey, pollMs: 20, txTimeoutMs: 20_000 });
  [validator, minerChain, lateChain, copycatChain] = await Promise.all([
    chainOf(DEPLOYER_KEY),
    chainOf(MINER_KEY),
    chainOf(LATE_MINER_KEY),
    chainOf(COPYCAT_KEY),
  ]);
  await validator.registerValidator({ stake: 100n * TOKEN });
  minerUid = (await minerChain.registerMiner()).uid;
  await lateChain.registerMiner();
  await copycatChain.registerMiner();
  testValidator = createTestValidator();
});

afterAll(async () => {
  await Promise.all([
    validator?.disconnect(),
    minerChain?.disconnect(),
    lateChain?.disconnect(),
    copycatChain?.disconnect(),
  ]);
  provider?.destroy();
  await anvil?.stop();
  await dir?.cleanup();
});

/** What the test's validator saw of one of the miner's commitments. */
type Checked = { window: number; block: number; modelHash: Hex32; bytes: number };

/**
 * A validator reduced to what sync needs: after each deadline it checks the miner's update
 * (download, digest, strict decode for its window and shard, model hash), aggregates it into
 * θ and publishes the set with modelHash(θ_{w+1}). A uid in `leaveOut` is left out of the
 * set of the window it maps to.
 */
function createTestValidator() {
  const router = createStoreRouter();
  let theta = initParameters({ config, seed: BigInt(h.runSeed) });
  let next = 0;
  const checked: Checked[] = [];
  const published = new Map<number, Hex32>(); // window w+1 → modelHash(θ_{w+1})
  const leaveOut = new Map<number, number>(); // uid → window

  // A miner uploads its update once the deadline has passed: wait for it, as validators do.
  // A miner a test stopped before its deadline never uploads: missing, as for a validator.
  const released = async (uri: string): Promise<Uint8Array | undefined> => {
    for (let tries = 0; ; tries++) {
      try {
        return await router.get({ uri, maxBytes: h.maxUpdateBytes, timeoutMs: 5000 });
      } catch (error) {
        if (!(error instanceof NonRetryableStorageError && error.reason === 'not-found')) throw error;
        if (tries >= 80) return undefined;
        await sleep(25);
      }
    }
  };

  const catchUp = async (head: number) => {
    const { startBlock } = deployment.params;
    while (deadlineOfWindow({ ...h, startBlock, window: next }) <= head) {
      const window = next;
      const updates: AggregateMember[] = [];
      for (const commitment of await validator.commitments({ window })) {
        const bytes = await released(commitment.uri);
        if (bytes === undefined) continue;
        expect(digestUpdate(bytes)).toBe(commitment.digest);
        const blockHash = await validator.blockHash(startBlockOfWindow({ ...h, startBlock, window }));
        const { shard } = assignWork({
          runSeed: h.runSeed,
          window,
          uid: commitment.uid,
          blockHash,
          trainPageCount: corpus.trainPageCount,
          pagesPerWindow: h.pagesPerWindow,
        });
        const decoded = decodeUpdate({
          bytes,
          expected: {
            maxBytes: h.maxUpdateBytes,
            window,
            parameterCount: count,
            shards: h.shards,
            shard,
            chunkSize: h.chunkSize,
            topK: h.topK,
            bits: h.quantBits,
          },
        });
        expect(commitment.modelHash).toBe(modelHash({ parameters: theta }));
        checked.push({
          window,
          block: commitment.block,
          modelHash: commitment.modelHash,
          bytes: bytes.length,
        });
        if (leaveOut.get(commitment.uid) !== window) updates.push({ uid: commitment.uid, ...decoded });
      }
      // A bound no update reaches: the miner's sync must apply the members as they are.
      const normBound = 1e30;
      theta = aggregateUpdates({ base: theta, updates, learningRate: h.outerLearningRate, normBound });
      const hash = modelHash({ parameters: theta });
      await validator.publishAggregate({
        window,
        uids: updates.map((u) => u.uid),
        modelHash: hash,
        normBound: Math.fround(normBound),
        uri: '',
      });
      published.set(window + 1, hash);
      next++;
    }
  };
  return { catchUp, checked, published, leaveOut };
}

/**
 * Runs miners and drives the chain until `done()`: the test's validator catches up after
 * each deadline, and a block is mined only while every miner waits for the chain, never
 * while one trains, so the test does not depend on how fast this machine trains. The miners
 * are shut down at the end, whatever happens.
 */
async function runMiners(runs: { miner: Miner; shutdown: Shutdown }[], done: () => boolean): Promise<void> {
  let stopped = false;
  const running = runs.map(({ miner }) => miner.run().finally(() => (stopped = true)));
  try {
    while (!done()) {
      if (stopped) throw new Error('a miner stopped before the test was done');
      await testValidator.catchUp(await provider.getBlockNumber());
      const states = runs.map(({ miner }) => miner.status().state);
      if (states.every((state) => state === 'waiting' || state === 'syncing')) await anvil.mine(1);
      await sleep(25);
    }
  } finally {
    await Promise.all(runs.map(({ shutdown }) => shutdown.kill()));
    await Promise.all(running);
  }
}

function minerWith(
  stateDir: string,
  lines: Record<string, unknown>[],
  chain = minerChain,
  strategy: Strategy = honest,
) {
  const shutdown = createShutdown();
  const metrics = createMetrics({ prefix: 'tessera_miner', defaultMetrics: false });
  const logger = createLogger({
    level: 'info',
    format: 'json',
    write: (line) => lines.push(JSON.parse(line)),
  });
  const miner = createMiner({
    common: { options: {}, logger, metrics, shutdown },
    chain,
    store: createFileStore({ root: join(dir.path, 'updates') }),
    router: createStoreRouter(),
    corpus,
    hyperparameters: h,
    modelConfig: config,
    strategy,
    stateDir,
    pollMs: 20,
  });
  return { miner, shutdown, metrics };
}

describe('miner on a private anvil', () => {
  it('commits valid updates two windows running, in sync with the published aggregate, and resumes after a restart', async () => {
    const { startBlock } = deployment.params;
    const stateDir = join(dir.path, 'state');
    const lines: Record<string, unknown>[] = [];
    const { miner, shutdown, metrics } = minerWith(stateDir, lines);
    await runMiners([{ miner, shutdown }], () => miner.status().committed >= 2);

    const status = miner.status();
    const last = status.lastCommittedWindow!;
    expect(status).toMatchObject({
      state: 'stopped',
      uid: minerUid,
      committed: 2,
      rejected: 0,
      syncedWindow: last,
    });
    expect(status.modelHash).toBe(testValidator.published.get(last));
    const committed = lines.filter((line) => line.msg === 'window committed');
    expect(committed.map((line) => line.window)).toEqual([last - 1, last]);
    expect(String(committed[0]?.loss)).toMatch(/^\d+\.\d{3}→\d+\.\d{3}$/);
    const text = await metrics.render();
    expect(text).toContain('tessera_miner_windows_total{result="committed"} 2');
    expect(text).toContain(`tessera_miner_sync_window ${last}`);
    // The error-feedback buffer of the last commitment is on disk, and not all zeros.
    const saved = await createErrorFeedbackStore({
      dir: stateDir,
      runSeed: h.runSeed,
      parameterCount: count,
      shards: 1,
    }).load({
      shard: 0,
    });
    expect(saved.window).toBe(last);
    expect(saved.buffer.some((value) => value !== 0)).toBe(true);

    // Restarted within the same window, the miner sees its commitment on chain and skips to
    // the next window, which it commits from the error feedback it saved.
    expect(await provider.getBlockNumber()).toBeLessThan(
      startBlockOfWindow({ ...h, startBlock, window: last + 1 }),
    );
    const restartLines: Record<string, unknown>[] = [];
    const restarted = minerWith(stateDir, restartLines);
    await runMiners([restarted], () => testValidator.checked.length >= 3);
    expect(restartLines.find((line) => line.msg === 'window already committed')).toMatchObject({
      window: last,
    });
    expect(restarted.miner.status()).toMatchObject({
      committed: 1,
      skipped: 1,
      rejected: 0,
      lastCommittedWindow: last + 1,
    });

    // What the test's validator downloaded, checked and decoded: three windows in a row, each
    // committed before its deadline, each trained from the model it published.
    const checked = testValidator.checked;
    expect(checked.map((c) => c.window)).toEqual([last - 1, last, last + 1]);
    for (const commitment of checked) {
      expect(commitment.block).toBeLessThan(
        deadlineOfWindow({ ...h, startBlock, window: commitment.window }),
      );
      expect(commitment.bytes).toBe(committed[0]?.bytes);
    }
    expect(committed[0]).toMatchObject({ ratio: Number(((4 * count) / checked[0]!.bytes).toFixed(1)) });
    expect(checked[1]!.modelHash).toBe(testValidator.published.get(last));
    expect(checked[2]!.modelHash).toBe(testValidator.published.get(last + 1));
    expect(new Set(checked.map((c) => c.modelHash)).size).toBe(3);
  });

  it('logs a commitment the chain rejects after the deadline and goes on', async () => {
    const lines: Record<string, unknown>[] = [];
    // The gauntlet's `late`: honest work, committed at the deadline block.
    const commitAtDeadline: Strategy = async (context) => {
      const submission = await honest(context);
      return submission && { ...submission, commitAtBlock: context.deadline };
    };
    const late = minerWith(join(dir.path, 'late-state'), lines, lateChain, commitAtDeadline);
    await runMiners([late], () => late.miner.status().rejected >= 1);
    expect(late.miner.status()).toMatchObject({ committed: 0, rejected: 1, failed: 0 });
    expect(lines.find((line) => line.msg === 'commitment rejected by the chain')).toMatchObject({
      chainCode: 'Subnet__LateCommit',
    });
    expect(await late.metrics.render()).toContain('tessera_miner_windows_total{result="rejected"} 1');
  });

  it('runs a copycat beside an honest miner: it re-commits the honest digest and URI', async () => {
    // The gauntlet's copycat, in short: wait for another commitment, commit its digest and
    // URI without uploading anything (the miner package cannot import the gauntlet).
    const copycat: Strategy = async ({ chain, window, uid, deadline, signal }) => {
      for (;;) {
        const other = (await chain.commitments({ window })).find((c) => c.uid !== uid);
        if (other !== undefined) return { digest: other.digest, uri: other.uri };
        const head = await chain.blockNumber();
        if (head >= deadline - 3) return undefined;
        await chain.waitForBlock({ block: head + 1, signal });
      }
    };
    const honestRun = minerWith(join(dir.path, 'honest-state'), []);
    const copycatRun = minerWith(join(dir.path, 'copycat-state'), [], copycatChain, copycat);
    await runMiners([honestRun, copycatRun], () => copycatRun.miner.status().committed >= 1);
    const window = copycatRun.miner.status().lastCommittedWindow!;
    const commitments = await validator.commitments({ window });
    const original = commitments.find((c) => c.hotkey === minerChain.address);
    const copy = commitments.find((c) => c.hotkey === copycatChain.address);
    expect(copy).toMatchObject({
      digest: original?.digest,
      uri: original?.uri,
      modelHash: original?.modelHash,
    });
    expect(copy!.block).toBeGreaterThan(original!.block);
  });

  it('restores what it sent when the aggregate leaves its update out, and keeps it when the update is in', async () => {
    const stateDir = join(dir.path, 'left-out-state');
    const feedbackOnDisk = () =>
      createErrorFeedbackStore({ dir: stateDir, runSeed: h.runSeed, parameterCount: count, shards: 1 });
    type Seen = { window: number; loaded: Float32Array; beforeSend: Float32Array; afterSend: Float32Array };
    const seen: Seen[] = [];
    // The honest strategy, which also reads the buffer on disk as its window starts (settled by
    // then) and works out from its own update the buffers before and after sending.
    const recording: Strategy = async (context) => {
      const { buffer: loaded } = await feedbackOnDisk().load({ shard: context.assignment.shard });
      if (seen.length === 0) testValidator.leaveOut.set(minerUid, context.window);
      const submission = await honest(context);
      const { delta, errorFeedback } = await context.train(); // the run honest made
      const beforeSend = loaded.map((value, i) => value + delta[i]!);
      seen.push({ window: context.window, loaded, beforeSend, afterSend: errorFeedback });
      return submission;
    };
    const lines: Record<string, unknown>[] = [];
    const run = minerWith(stateDir, lines, minerChain, recording);
    await runMiners([run], () => seen.length >= 3);

    const [first, second, third] = seen as [Seen, Seen, Seen];
    expect([second.window, third.window]).toEqual([first.window + 1, first.window + 2]);
    expect(testValidator.leaveOut.get(minerUid)).toBe(first.window);
    expect((await validator.aggregate({ window: first.window }))?.uids).not.toContain(minerUid);
    expect((await validator.aggregate({ window: second.window }))?.uids).toContain(minerUid);
    // Left out of the first window's set: the second window starts from the pre-send buffer,
    // so what the first sent goes out again. In the second's set: the post-send buffer stands.
    expect(first.beforeSend).not.toEqual(first.afterSend);
    expect(second.loaded).toEqual(first.beforeSend);
    expect(third.loaded).toEqual(second.afterSend);
    expect(
      lines.find((line) => line.msg === 'update left out of the aggregate: error feedback restored'),
    ).toMatchObject({
      window: first.window,
      uid: minerUid,
      because: 'left-out',
    });
  });
});
