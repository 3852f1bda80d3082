import { createMemoryChain } from '../testing/createMemoryChain.js';
import type { MemoryChain } from '../testing/createMemoryChain.js';
import { createRandom } from '../common/createRandom.js';
import { rejectionOf } from '../_test/rejectionOf.js';
import { tempDir } from '../_test/tempDir.js';
import { compressUpdate } from '../codec/compressUpdate.js';
import { decodeUpdate } from '../codec/decodeUpdate.js';
import { digestUpdate } from '../codec/digestUpdate.js';
import { encodeUpdate } from '../codec/encodeUpdate.js';
import { shardRange } from '../codec/shardRange.js';
import { NonRetryableSyncError } from '../errors/sync.js';
import { createMetrics } from '../metrics/createMetrics.js';
import { encodeCheckpoint } from '../model/encodeCheckpoint.js';
import { initParameters } from '../model/initParameters.js';
import { modelHash } from '../model/modelHash.js';
import { parseModelConfig } from '../model/modelConfig.js';
import { modelPresets } from '../model/modelPresets.js';
import { parameterCount } from '../model/parameterLayout.js';
import { aggregateUpdates } from '../protocol/aggregateUpdates.js';
import { parseHyperparameters } from '../protocol/parseHyperparameters.js';
import type { Hyperparameters } from '../protocol/hyperparametersSchema.js';
import { startBlockOfWindow } from '../protocol/startBlockOfWindow.js';
import { createFileStore } from '../storage/createFileStore.js';
import { createStoreRouter } from '../storage/createStoreRouter.js';
import type { UpdateStore } from '../storage/types.js';
import { createModelSync } from './createModelSync.js';
import type { CreateModelSyncParameters } from './createModelSync.js';
import { shardOfUid } from './shardOfUid.js';
import { assignWork } from '../data/assignWork.js';

// A model of ~2k parameters keeps hashing and aggregation instant.
const config = parseModelConfig({
  config: {
    ...modelPresets.tiny,
    name: 'micro',
    vocabSize: 64,
    contextLength: 8,
    dModel: 8,
    mlpHidden: 16,
    heads: 2,
    layers: 1,
  },
});
const count = parameterCount({ config });
const timing = { startBlock: 100, blocksPerWindow: 10, windowsPerEpoch: 6, deadlineGraceBlocks: 2 };
const startOf = (window: number) => startBlockOfWindow({ ...timing, window });

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: UpdateStore;
let chain: MemoryChain;

beforeEach(async () => {
  dir = await tempDir();
  store = createFileStore({ root: dir.path });
  chain = createMemoryChain({ timing, validators: 1 });
});
afterEach(() => dir.cleanup());

function syncOf(hyperparameters: Hyperparameters, extra: Partial<CreateModelSyncParameters> = {}) {
  return createModelSync({
    chain,
    router: createStoreRouter(),
    hyperparameters,
    modelConfig: config,
    pollMs: 1,
    downloadBackoffMs: 0,
    ...extra,
  });
}

/** Commits a random update of `uid` for `window` on its shard; returns its decoded form. */
async function commitUpdate(h: Hyperparameters, window: number, uid: number, seed: number) {
  const blockHash = await chain.blockHash(startOf(window));
  const shard = shardOfUid({ runSeed: h.runSeed, window, uid, blockHash, shards: h.shards });
  const range = shardRange({ parameterCount: count, shards: h.shards, shard });
  const random = createRandom({ seed });
  const delta = Float32Array.from({ length: range.length }, () => random.normal() * 1e-3);
  const compressed = compressUpdate({
    delta,
    errorFeedback: new Float32Array(range.length),
    chunkSize: h.chunkSize,
    topK: h.topK,
    bits: h.quantBits,
  });
  const bytes = encodeUpdate({ ...compressed, window, parameterCount: count, shards: h.shards, shard });
  const { uri } = await store.put({ key: `w${window}/uid-${uid}.tsu`, bytes });
  chain.addCommitment({ uid, window, digest: digestUpdate(bytes), uri, modelHash: `0x${'00'.repeat(32)}` });
  return { uid, ...decodeUpdate({ bytes }) };
}

describe('createModelSync', () => {
  const h = parseHyperparameters({ outerLearningRate: 0.7, chunkSize: 256, topK: 32 });
  const theta0 = initParameters({ config, seed: BigInt(h.runSeed) });

  it('starts from θ_0 seeded with the run seed', () => {
    const sync = syncOf(h);
    expect(sync.window).toBe(0);
    expect(sync.hash).toBe(modelHash({ parameters: theta0 }));
    expect(sync.parameters).toEqual(theta0);
  });

  it('replays a published aggregate bit for bit, in ascending uid order whatever the set order', async () => {
    chain.mine(25); // window 2 has started
    const a = await commitUpdate(h, 0, 5, 1);
    const b = await commitUpdate(h, 0, 2, 2);
    const expected = aggregateUpdates({ base: theta0, updates: [b, a], learningRate: h.outerLearningRate });
    chain.addAggregate({
      window: 0,
      uids: [2, 5],
      modelHash: modelHash({ parameters: expected }),
      block: startOf(1) + 3,
    });
    chain.addAggregate({
      window: 1,
      uids: [],
      modelHash: modelHash({ parameters: expected }),
      block: startOf(2) + 3,
    });
    const metrics = createMetrics({ prefix: 'test', defaultMetrics: false });
    const sync = syncOf(h, { metrics });

    const result = await sync.advanceTo({ window: 2 });

    expect(result).toEqual({
      window: 2,
      hash: modelHash({ parameters: expected }),
      checkpoint: undefined,
      applied: 1,
      unchanged: 1,
    });
    expect(sync.parameters).toEqual(expected);
    expect(sync.parameters).not.toEqual(theta0);
    expect(sync.followed({ window: 0 })).toMatchObject({ window: 0, uids: [2, 5] });
    expect(sync.followed({ window: 1 })).toMatchObject({ window: 1, uids: [] });
    expect(sync.followed({ window: 2 })).toBeUndefined();
    const text = await metrics.render();
    expect(text).toContain('test_sync_window 2');
    expect(text).toContain('test_sync_aggregates_total{result="applied"} 1');
    expect(text).toContain('test_sync_aggregates_total{result="empty"} 1');
  });

  it('waits for a missing aggregate until the window after next starts, then keeps the model', async () => {
    chain.mine(12); // deadline of window 0
    const sync = syncOf(h);
    let settled = false;
    const advancing = sync.advanceTo({ window: 1 }).finally(() => (settled = true));
    while ((await chain.blockNumber()) < startOf(2) - 1) {
      await chain.nextWait();
      expect(settled).toBe(false);
      chain.mine();
    }
    await chain.nextWait();
    expect(settled).toBe(false);
    chain.mine(); // window 2 starts
    const result = await advancing;
    expect(result).toMatchObject({ window: 1, applied: 0, unchanged: 1 });
    expect(sync.hash).toBe(modelHash({ parameters: theta0 }));
    expect(sync.followed({ window: 0 })).toBeNull();
  });

  it('applies an aggregate published while it waits', async () => {
    chain.mine(12);
    const update = await commitUpdate(h, 0, 1, 3);
    const expected = aggregateUpdates({ base: theta0, updates: [update], learningRate: h.outerLearningRate });
    const sync = syncOf(h);
    const advancing = sync.advanceTo({ window: 1 });
    await chain.nextWait();
    chain.addAggregate({ window: 0, uids: [1], modelHash: modelHash({ parameters: expected }) });
    chain.mine();
    expect(await advancing).toMatchObject({ window: 1, applied: 1 });
    expect(sync.parameters).toEqual(expected);
  });

  it('ignores an aggregate included after the window after next started', async () => {
    chain.mine(40);
    const update = await commitUpdate(h, 0, 1, 3);
    const expected = aggregateUpdates({ base: theta0, updates: [update], learningRate: h.outerLearningRate });
    chain.addAggregate({
      window: 0,
      uids: [1],
      modelHash: modelHash({ parameters: expected }),
      block: startOf(2),
    });
    const sync = syncOf(h);
    expect(await sync.advanceTo({ window: 1 })).toMatchObject({ window: 1, applied: 0, unchanged: 1 });
    expect(sync.hash).toBe(modelHash({ parameters: theta0 }));
    expect(sync.followed({ window: 0 })).toBeNull();
  });

  it('throws out-of-sync on a hash mismatch and keeps the last good model; reset goes back to θ_0', async () => {
    chain.mine(40);
    const update = await commitUpdate(h, 0, 1, 3);
    const good = aggregateUpdates({ base: theta0, updates: [update], learningRate: h.outerLearningRate });
    chain.addAggregate({
      window: 0,
      uids: [1],
      modelHash: modelHash({ parameters: good }),
      block: startOf(1) + 2,
    });
    chain.addAggregate({ window: 1, uids: [], modelHash: `0x${'12'.repeat(32)}`, block: startOf(2) + 2 });
    const sync = syncOf(h);

    const error = await rejectionOf(sync.advanceTo({ window: 3 }));

    expect(error).toBeInstanceOf(NonRetryableSyncError);
    expect(error).toMatchObject({ reason: 'out-of-sync', window: 1 });
    expect(sync.window).toBe(1);
    expect(sync.parameters).toEqual(good);
    expect(sync.followed({ window: 0 })).toMatchObject({ uids: [1] });
    expect(sync.followed({ window: 1 })).toBeUndefined();
    sync.reset();
    expect(sync.followed({ window: 0 })).toBeUndefined();
    expect(sync.window).toBe(0);
    expect(sync.hash).toBe(modelHash({ parameters: theta0 }));
  });

  it('rejects an update whose bytes do not match the committed digest', async () => {
    chain.mine(40);
    await commitUpdate(h, 0, 1, 3);
    await commitUpdate(h, 1, 1, 4);
    // The store now serves window 1's bytes for window 0's commitment.
    const uri = store.uriOf({ key: 'w1/uid-1.tsu' });
    await store.put({
      key: 'w0/uid-1.tsu',
      bytes: await store.get({ uri, maxBytes: 1 << 20, timeoutMs: 1000 }),
    });
    chain.addAggregate({ window: 0, uids: [1], modelHash: `0x${'34'.repeat(32)}`, block: startOf(1) + 2 });
    const error = await rejectionOf(syncOf(h).advanceTo({ window: 1 }));
    expect(error).toMatchObject({ reason: 'aggregate-update-invalid', window: 0 });
  });

  it('reports a set member without a commitment as missing', async () => {
    chain.mine(40);
    chain.addAggregate({ window: 0, uids: [9], modelHash: `0x${'34'.repeat(32)}`, block: startOf(1) + 2 });
    const error = await rejectionOf(syncOf(h).advanceTo({ window: 1 }));
    expect(error).toMatchObject({ reason: 'aggregate-update-missing', window: 0 });
  });

  it('reports a set member whose bytes are gone as missing', async () => {
    chain.mine(40);
    await commitUpdate(h, 0, 4, 3);
    await store.delete({ key: 'w0/uid-4.tsu' });
    chain.addAggregate({ window: 0, uids: [4], modelHash: `0x${'34'.repeat(32)}`, block: startOf(1) + 2 });
    const error = await rejectionOf(syncOf(h).advanceTo({ window: 1 }));
    expect(error).toBeInstanceOf(NonRetryableSyncError);
    expect(error).toMatchObject({ reason: 'aggregate-update-missing', window: 0 });
  });

  it('takes θ from the aggregate’s model file when a member’s update cannot be had, checked against its hash', async () => {
    chain.mine(40);
    const a = await commitUpdate(h, 0, 4, 3);
    const b = await commitUpdate(h, 0, 6, 4);
    const expected = aggregateUpdates({ base: theta0, updates: [a, b], learningRate: h.outerLearningRate });
    const hash = modelHash({ parameters: expected });
    await store.delete({ key: 'w0/uid-6.tsu' });
    const { bytes } = encodeCheckpoint({ config, window: 1, parameters: expected });
    const { uri } = await store.put({ key: 'models/w1.ckpt', bytes });
    chain.addAggregate({ window: 0, uids: [4, 6], modelHash: hash, block: startOf(1) + 2, uri });
    const metrics = createMetrics({ prefix: 'test', defaultMetrics: false });
    const sync = syncOf(h, { metrics });
    await sync.advanceTo({ window: 1 });
    expect(sync.hash).toBe(hash);
    expect(sync.parameters).toEqual(expected);
    expect(await metrics.registry.metrics()).toMatch(/test_sync_aggregates_total\{result="model-file"\} 1/);
  });

  it('keeps the member’s error when the aggregate’s model file does not match its hash', async () => {
    chain.mine(40);
    await commitUpdate(h, 0, 4, 3);
    await store.delete({ key: 'w0/uid-4.tsu' });
    const { bytes } = encodeCheckpoint({ config, window: 1, parameters: theta0 });
    const { uri } = await store.put({ key: 'models/w1.ckpt', bytes });
    chain.addAggregate({
      window: 0,
      uids: [4],
      modelHash: `0x${'34'.repeat(32)}`,
      block: startOf(1) + 2,
      uri,
    });
    const sync = syncOf(h);
    const error = await rejectionOf(sync.advanceTo({ window: 1 }));
    expect(error).toMatchObject({ reason: 'aggregate-update-missing', window: 0 });
    expect(sync.window).toBe(0);
  });

  it('decodes each member for its own shard', async () => {
    const sharded = parseHyperparameters({ shards: 4, chunkSize: 256, topK: 32 });
    const base = initParameters({ config, seed: BigInt(sharded.runSeed) });
    chain.mine(40);
    const updates = [
      await commitUpdate(sharded, 0, 1, 1),
      await commitUpdate(sharded, 0, 2, 2),
      await commitUpdate(sharded, 0, 3, 3),
    ];
    const expected = aggregateUpdates({ base, updates, learningRate: sharded.outerLearningRate });
    chain.addAggregate({
      window: 0,
      uids: [1, 2, 3],
      modelHash: modelHash({ parameters: expected }),
      block: startOf(1) + 2,
    });
    const sync = syncOf(sharded);
    await sync.advanceTo({ window: 1 });
    expect(sync.hash).toBe(modelHash({ parameters: expected }));
  });

  it('loads the latest checkpoint instead of replaying the windows before it', async () => {
    chain.mine(60);
    const theta3 = Float32Array.from(theta0, (value, i) => (i % 7 === 0 ? value + 0.01 : value));
    const { bytes, modelHash: hash3 } = encodeCheckpoint({ config, window: 3, parameters: theta3 });
    const { uri } = await store.put({ key: 'checkpoints/w3.ckpt', bytes });
    chain.setCheckpoint({ window: 3, modelHash: hash3, uri });
    // Windows 0–2 have aggregates no replay could reach: only the checkpoint gets past them.
    for (const window of [0, 1, 2])
      chain.addAggregate({
        window,
        uids: [],
        modelHash: `0x${'56'.repeat(32)}`,
        block: startOf(window + 1) + 2,
      });
    const update = await commitUpdate(h, 3, 7, 9);
    const expected = aggregateUpdates({ base: theta3, updates: [update], learningRate: h.outerLearningRate });
    chain.addAggregate({
      window: 3,
      uids: [7],
      modelHash: modelHash({ parameters: expected }),
      block: startOf(4) + 2,
    });

    const sync = syncOf(h);
    const result = await sync.advanceTo({ window: 4 });

    expect(result).toMatchObject({ window: 4, checkpoint: 3, applied: 1 });
    expect(sync.parameters).toEqual(expected);
    // Windows 0–2 were passed by the checkpoint: which aggregates made θ_3 is not known.
    expect([0, 1, 2].map((window) => sync.followed({ window }))).toEqual([undefined, undefined, undefined]);
    expect(sync.followed({ window: 3 })).toMatchObject({ uids: [7] });
  });

  it('falls back to a checkpoint past the window whose replay failed', async () => {
    chain.mine(60);
    const theta2 = Float32Array.from(theta0, (value, i) => (i % 5 === 0 ? value - 0.02 : value));
    const { bytes, modelHash: hash2 } = encodeCheckpoint({ config, window: 2, parameters: theta2 });
    const { uri } = await store.put({ key: 'checkpoints/w2.ckpt', bytes });
    chain.addAggregate({
      window: 0,
      uids: [],
      modelHash: modelHash({ parameters: theta0 }),
      block: startOf(1) + 2,
    });
    chain.addAggregate({ window: 1, uids: [], modelHash: `0x${'78'.repeat(32)}`, block: startOf(2) + 2 });
    const sync = syncOf(h);
    await sync.advanceTo({ window: 1 });
    expect(sync.window).toBe(1);
    chain.setCheckpoint({ window: 2, modelHash: hash2, uri });

    const result = await sync.advanceTo({ window: 3 });

    expect(result).toMatchObject({ window: 3, checkpoint: 2 });
    expect(sync.hash).toBe(hash2);
  });

  it('ignores a corrupt checkpoint and replays instead', async () => {
    chain.mine(40);
    const { uri } = await store.put({ key: 'checkpoints/w1.ckpt', bytes: new Uint8Array(64) });
    chain.setCheckpoint({ window: 1, modelHash: `0x${'9a'.repeat(32)}`, uri });
    const sync = syncOf(h);
    expect(await sync.advanceTo({ window: 2 })).toMatchObject({
      window: 2,
      checkpoint: undefined,
      unchanged: 2,
    });
    expect(sync.hash).toBe(modelHash({ parameters: theta0 }));
  });

  it('adopts an offered θ_{w+1} the lead aggregate names, without downloading its members', async () => {
    chain = createMemoryChain({ timing, validators: 2 });
    chain.mine(25);
    const a = await commitUpdate(h, 0, 3, 1);
    const expected = aggregateUpdates({ base: theta0, updates: [a], learningRate: h.outerLearningRate });
    const hash = modelHash({ parameters: expected });
    chain.addAggregate({ window: 0, uids: [3], modelHash: hash, block: startOf(1) + 3, validatorUid: 0 });
    const gets: string[] = [];
    const router = createStoreRouter();
    const metrics = createMetrics({ prefix: 'test', defaultMetrics: false });
    const sync = syncOf(h, {
      metrics,
      router: { get: (request) => (gets.push(request.uri), router.get(request)) },
    });

    sync.offer({ window: 1, parameters: expected, hash });
    await sync.advanceTo({ window: 1 });

    expect(sync.hash).toBe(hash);
    expect(sync.parameters).toEqual(expected);
    expect(gets).toEqual([]);
    expect(sync.followed({ window: 0 })).toMatchObject({ window: 0, uids: [3] });
    expect(await metrics.render()).toContain('test_sync_aggregates_total{result="offered"} 1');
  });

  it('replays the lead aggregate when the offered θ is another validator’s, not the lead’s', async () => {
    chain = createMemoryChain({ timing, validators: 2 });
    chain.mine(25);
    const a = await commitUpdate(h, 0, 3, 1);
    const b = await commitUpdate(h, 0, 4, 2);
    const lead = aggregateUpdates({ base: theta0, updates: [a, b], learningRate: h.outerLearningRate });
    const own = aggregateUpdates({ base: theta0, updates: [b], learningRate: h.outerLearningRate });
    const ownHash = modelHash({ parameters: own });
    // Uid 0 leads (equal stakes, lowest uid); uid 1, the one offering, published another set.
    const block = startOf(1) + 3;
    chain.addAggregate({
      window: 0,
      uids: [3, 4],
      modelHash: modelHash({ parameters: lead }),
      block,
      validatorUid: 0,
    });
    chain.addAggregate({ window: 0, uids: [4], modelHash: ownHash, block, validatorUid: 1 });
    const sync = syncOf(h);

    sync.offer({ window: 1, parameters: own, hash: ownHash });
    await sync.advanceTo({ window: 1 });

    expect(sync.parameters).toEqual(lead);
    expect(sync.followed({ window: 0 })).toMatchObject({ uids: [3, 4] });
  });

  it('replays instead when an offer’s parameters do not hash to its hash', async () => {
    chain.mine(25);
    const a = await commitUpdate(h, 0, 3, 1);
    const expected = aggregateUpdates({ base: theta0, updates: [a], learningRate: h.outerLearningRate });
    const hash = modelHash({ parameters: expected });
    chain.addAggregate({ window: 0, uids: [3], modelHash: hash, block: startOf(1) + 3 });
    const sync = syncOf(h);

    sync.offer({ window: 1, parameters: new Float32Array(expected.length), hash });
    await sync.advanceTo({ window: 1 });

    expect(sync.parameters).toEqual(expected);
  });

  it('validates the target window and stops when the signal aborts', async () => {
    const sync = syncOf(h);
    expect(await rejectionOf(sync.advanceTo({ window: -1 }))).toMatchObject({ reason: 'invalid-parameter' });
    const controller = new AbortController();
    const advancing = sync.advanceTo({ window: 5, signal: controller.signal });
    await chain.nextWait();
    expect(() => sync.reset()).toThrow(NonRetryableSyncError);
    controller.abort(new Error('shutdown'));
    await expect(advancing).rejects.toBeDefined();
    expect(sync.window).toBe(0);
  });
});

describe('shardOfUid', () => {
  it('gives the shard of the full assignment', () => {
    const runSeed = `0x${'3c'.repeat(32)}` as const;
    for (let uid = 0; uid < 20; uid++) {
      const blockHash = `0x${uid.toString(16).padStart(2, '0').repeat(32)}` as const;
      const full = assignWork({
        runSeed,
        window: 7,
        uid,
        blockHash,
        shards: 5,
        trainPageCount: 1000,
        pagesPerWindow: 16,
      });
      expect(shardOfUid({ runSeed, window: 7, uid, blockHash, shards: 5 })).toBe(full.shard);
    }
  });
});
