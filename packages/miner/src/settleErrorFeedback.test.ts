import { createLogger } from '@tessera/core';
import type { Aggregate } from '@tessera/core';
import { tempDir } from './_test/tempDir.js';
import { createErrorFeedbackStore } from './createErrorFeedbackStore.js';
import { settleErrorFeedback } from './settleErrorFeedback.js';

const runSeed = `0x${'ab'.repeat(32)}`;
const uid = 4;

/** An aggregate of `window` with the set `uids`, as the sync reports it. */
const aggregateOf = (window: number, uids: number[]): Aggregate => ({
  window,
  uids,
  modelHash: `0x${'11'.repeat(32)}`,
  normBound: 1,
  uri: '',
  validator: `0x${'22'.repeat(20)}`,
  block: 0,
});

/** A sync holding θ_window that followed `followed` (window → aggregate; null: none in time). */
const syncAt = (window: number, followed: Record<number, Aggregate | null> = {}) => ({
  window,
  followed: ({ window: w }: { window: number }) => followed[w],
});

describe('settleErrorFeedback', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let lines: string[];
  beforeEach(async () => {
    dir = await tempDir();
    lines = [];
  });
  afterEach(() => dir.cleanup());

  const logger = () => createLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) });
  // 12 parameters in 2 shards of 6.
  const storeOf = () =>
    createErrorFeedbackStore({ dir: dir.path, runSeed, parameterCount: 12, shards: 2, logger: logger() });
  const post = Float32Array.of(0.5, 0, 0, -0.25, 0, 1);
  const pre = Float32Array.of(0.5, 3, -2, -0.25, 4, 1);
  /** The miner committed window 5 on shard 1: post-send buffer saved, pre-send pending. */
  const commit = async (store = storeOf(), window = 5, shard = 1) => {
    await store.save({ shard, window, buffer: post, sent: { uid, beforeSend: pre } });
    return store;
  };

  it('restores the pre-send buffer when the aggregate leaves the update out', async () => {
    const store = await commit();
    const settled = await settleErrorFeedback({
      feedback: store,
      sync: syncAt(6, { 5: aggregateOf(5, [1, 2, 7]) }),
      logger: logger(),
    });
    expect(settled).toEqual([{ window: 5, shard: 1, uid, result: 'restored', because: 'left-out' }]);
    expect(await store.load({ shard: 1 })).toEqual({ buffer: pre, window: 5 });
    expect(await store.pending()).toEqual([]);
    expect(lines.join('\n')).toContain('error feedback restored');
  });

  it('restores it when the set is empty', async () => {
    const store = await commit();
    const sync = syncAt(6, { 5: aggregateOf(5, []) });
    expect(await settleErrorFeedback({ feedback: store, sync, logger: logger() })).toMatchObject([
      { result: 'restored' },
    ]);
    expect((await store.load({ shard: 1 })).buffer).toEqual(pre);
  });

  it('keeps the post-send buffer when the update is in the aggregate', async () => {
    const store = await commit();
    const sync = syncAt(6, { 5: aggregateOf(5, [1, uid, 7]) });
    expect(await settleErrorFeedback({ feedback: store, sync, logger: logger() })).toEqual([
      { window: 5, shard: 1, uid, result: 'kept', because: 'in-aggregate' },
    ]);
    expect(await store.load({ shard: 1 })).toEqual({ buffer: post, window: 5 });
    expect(await storeOf().pending()).toEqual([]);
  });

  it('keeps the post-send buffer when no aggregate came in time or the sync does not know', async () => {
    const store = await commit();
    expect(
      await settleErrorFeedback({ feedback: store, sync: syncAt(6, { 5: null }), logger: logger() }),
    ).toMatchObject([{ result: 'kept', because: 'no-aggregate' }]);
    expect((await store.load({ shard: 1 })).buffer).toEqual(post);

    await commit(store);
    // A sync that loaded a checkpoint past window 5 (a late start, a reset) did not follow it.
    expect(await settleErrorFeedback({ feedback: store, sync: syncAt(8), logger: logger() })).toMatchObject([
      { result: 'kept', because: 'unknown' },
    ]);
    expect((await store.load({ shard: 1 })).buffer).toEqual(post);
    expect(await store.pending()).toEqual([]);
  });

  it('leaves a send pending while the sync has not passed its window', async () => {
    const store = await commit();
    // A restart within window 5: the sync holds θ_5; the aggregate of 5 is not out yet.
    expect(await settleErrorFeedback({ feedback: store, sync: syncAt(5), logger: logger() })).toEqual([]);
    expect(await store.pending()).toEqual([{ window: 5, shard: 1, uid }]);
  });

  it('settles after a restart between the commit and the aggregate', async () => {
    await commit();
    const restarted = storeOf();
    const sync = syncAt(6, { 5: aggregateOf(5, [2]) });
    expect(await settleErrorFeedback({ feedback: restarted, sync, logger: logger() })).toMatchObject([
      { window: 5, result: 'restored' },
    ]);
    expect(await storeOf().load({ shard: 1 })).toEqual({ buffer: pre, window: 5 });
    expect(await storeOf().pending()).toEqual([]);
  });

  it('asks about the uid that committed, and settles the shard that was sent', async () => {
    const store = storeOf();
    await store.save({ shard: 0, window: 4, buffer: new Float32Array(6), sent: { uid: 9, beforeSend: pre } });
    // Window 5 was on the other shard; the aggregate of 4 lists uid 4 but not uid 9.
    await commit(store, 5, 1);
    const sync = syncAt(6, { 4: aggregateOf(4, [uid]), 5: aggregateOf(5, [uid]) });
    expect(await settleErrorFeedback({ feedback: store, sync, logger: logger() })).toEqual([
      { window: 4, shard: 0, uid: 9, result: 'restored', because: 'left-out' },
      { window: 5, shard: 1, uid, result: 'kept', because: 'in-aggregate' },
    ]);
    expect((await store.load({ shard: 0 })).buffer).toEqual(pre);
    expect((await store.load({ shard: 1 })).buffer).toEqual(post);
  });
});

describe('settleErrorFeedback, left out window after window', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  it('restores a left-out send only when the window before was not restored', async () => {
    const logger = createLogger({ level: 'silent' });
    const store = createErrorFeedbackStore({ dir: dir.path, runSeed, parameterCount: 12, shards: 2, logger });
    const post = Float32Array.of(0, 0, 0, 0, 0, 1);
    const pre = Float32Array.of(2, 0, 0, 0, 0, 1);
    const leftOut = (window: number) => syncAt(window + 1, { [window]: aggregateOf(window, [9]) });
    await store.save({ shard: 0, window: 5, buffer: post, sent: { uid, beforeSend: pre } });
    const first = await settleErrorFeedback({ feedback: store, sync: leftOut(5), logger });
    expect(first.map((s) => s.because)).toEqual(['left-out']);
    await store.save({ shard: 0, window: 6, buffer: post, sent: { uid, beforeSend: pre } });
    const second = await settleErrorFeedback({
      feedback: store,
      sync: leftOut(6),
      lastRestoredWindow: 5,
      logger,
    });
    expect(second).toMatchObject([{ window: 6, result: 'kept', because: 'left-out-again' }]);
    expect((await store.load({ shard: 0 })).buffer).toEqual(post);
    await store.save({ shard: 0, window: 7, buffer: post, sent: { uid, beforeSend: pre } });
    const third = await settleErrorFeedback({
      feedback: store,
      sync: leftOut(7),
      lastRestoredWindow: 5,
      logger,
    });
    expect(third).toMatchObject([{ window: 7, result: 'restored', because: 'left-out' }]);
  });
});
