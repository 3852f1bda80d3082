import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, digestUpdate } from '@tessera/core';
import { tempDir } from './_test/tempDir.js';
import { createErrorFeedbackStore } from './createErrorFeedbackStore.js';
import { MinerError } from './errors/miner.js';

const runSeed = `0x${'ab'.repeat(32)}`;

describe('createErrorFeedbackStore', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  const storeOf = (extra: { runSeed?: string; shards?: number; lines?: string[] } = {}) =>
    createErrorFeedbackStore({
      dir: dir.path,
      runSeed: extra.runSeed ?? runSeed,
      parameterCount: 10,
      shards: extra.shards ?? 3,
      logger: createLogger({ level: 'warn', format: 'json', write: (line) => extra.lines?.push(line) }),
    });

  it('starts each shard at zeros and resumes saved buffers after a restart', async () => {
    const first = storeOf();
    expect(await first.load({ shard: 1 })).toEqual({ buffer: new Float32Array(3), window: undefined });
    await first.save({ shard: 1, window: 42, buffer: Float32Array.of(0.5, -1.25, 3) });
    await first.save({ shard: 2, window: 43, buffer: Float32Array.of(1, 2, 3, 4) });

    const restarted = storeOf();
    expect(await restarted.load({ shard: 1 })).toEqual({
      buffer: Float32Array.of(0.5, -1.25, 3),
      window: 42,
    });
    expect(await restarted.load({ shard: 2 })).toEqual({ buffer: Float32Array.of(1, 2, 3, 4), window: 43 });
    expect(await restarted.load({ shard: 0 })).toEqual({ buffer: new Float32Array(3), window: undefined });
    expect((await readdir(dir.path)).sort()).toEqual(['error-feedback-1.bin', 'error-feedback-2.bin']);
  });

  it('hands out copies', async () => {
    const store = storeOf();
    const { buffer } = await store.load({ shard: 0 });
    buffer[0] = 9;
    expect((await store.load({ shard: 0 })).buffer[0]).toBe(0);
  });

  it('discards a corrupt buffer, or one from another run or shape, with a warning', async () => {
    await storeOf().save({ shard: 0, window: 1, buffer: Float32Array.of(1, 2, 3) });
    const path = join(dir.path, 'error-feedback-0.bin');
    const bytes = await readFile(path);

    const lines: string[] = [];
    expect(
      (await storeOf({ runSeed: `0x${'cd'.repeat(32)}`, lines }).load({ shard: 0 })).window,
    ).toBeUndefined();
    expect(lines.join('\n')).toContain('another run');

    expect((await storeOf({ shards: 2, lines }).load({ shard: 0 })).window).toBeUndefined();

    bytes[bytes.length - 1]! ^= 0x10;
    await writeFile(path, bytes);
    expect(await storeOf({ lines }).load({ shard: 0 })).toEqual({
      buffer: new Float32Array(3),
      window: undefined,
    });
    expect(lines.join('\n')).toContain('checksum mismatch');
  });

  it('refuses a buffer of the wrong length', async () => {
    await expect(storeOf().save({ shard: 0, window: 1, buffer: new Float32Array(4) })).rejects.toThrow(
      MinerError,
    );
    await expect(
      storeOf().save({
        shard: 0,
        window: 1,
        buffer: new Float32Array(3),
        sent: { uid: 1, beforeSend: new Float32Array(2) },
      }),
    ).rejects.toThrow(MinerError);
  });

  describe('pending sends', () => {
    const post = Float32Array.of(0.25, 0, -0.5);
    const pre = Float32Array.of(0.25, 2, -3.5);

    it('keeps the pre-send buffer until settled, then restores it when the update was left out', async () => {
      const store = storeOf();
      await store.save({ shard: 1, window: 7, buffer: post, sent: { uid: 4, beforeSend: pre } });
      expect(await store.pending()).toEqual([{ window: 7, shard: 1, uid: 4 }]);
      // Until settled, the post-send buffer is the one in use.
      expect(await store.load({ shard: 1 })).toEqual({ buffer: post, window: 7 });

      expect(await store.settle({ shard: 1, window: 7, restore: true })).toBe('restored');
      expect(await store.load({ shard: 1 })).toEqual({ buffer: pre, window: 7 });
      expect(await store.pending()).toEqual([]);
      expect(await store.settle({ shard: 1, window: 7, restore: true })).toBe('none');
      expect(await storeOf().load({ shard: 1 })).toEqual({ buffer: pre, window: 7 });
      expect(await storeOf().pending()).toEqual([]);
    });

    it('keeps the post-send buffer when the update is in the aggregate', async () => {
      const store = storeOf();
      await store.save({ shard: 0, window: 7, buffer: post, sent: { uid: 4, beforeSend: pre } });
      expect(await store.settle({ shard: 0, window: 7, restore: false })).toBe('kept');
      expect(await store.load({ shard: 0 })).toEqual({ buffer: post, window: 7 });
      expect(await storeOf().pending()).toEqual([]);
      expect(await storeOf().load({ shard: 0 })).toEqual({ buffer: post, window: 7 });
    });

    it('survives a restart between the commit and the settlement', async () => {
      await storeOf().save({
        shard: 2,
        window: 9,
        buffer: Float32Array.of(1, 0, 0, 1),
        sent: {
          uid: 3,
          beforeSend: Float32Array.of(1, 5, -6, 1),
        },
      });
      const restarted = storeOf();
      expect(await restarted.pending()).toEqual([{ window: 9, shard: 2, uid: 3 }]);
      expect(await restarted.load({ shard: 2 })).toEqual({ buffer: Float32Array.of(1, 0, 0, 1), window: 9 });
      expect(await restarted.settle({ shard: 2, window: 9, restore: true })).toBe('restored');
      expect(await storeOf().load({ shard: 2 })).toEqual({ buffer: Float32Array.of(1, 5, -6, 1), window: 9 });
    });

    it('keeps each shard’s pending send apart when the shard changes between windows', async () => {
      const store = storeOf();
      await store.save({ shard: 1, window: 7, buffer: post, sent: { uid: 4, beforeSend: pre } });
      // Window 8 was assigned shard 0: its commit leaves shard 1's send pending.
      await store.save({
        shard: 0,
        window: 8,
        buffer: Float32Array.of(1, 1, 1),
        sent: { uid: 4, beforeSend: Float32Array.of(2, 2, 2) },
      });
      const restarted = storeOf();
      expect(await restarted.pending()).toEqual([
        { window: 7, shard: 1, uid: 4 },
        { window: 8, shard: 0, uid: 4 },
      ]);
      // Settling window 7 on the wrong shard, or window 8 on shard 1, does nothing.
      expect(await restarted.settle({ shard: 0, window: 7, restore: true })).toBe('none');
      expect(await restarted.settle({ shard: 1, window: 8, restore: true })).toBe('none');
      expect(await restarted.settle({ shard: 1, window: 7, restore: true })).toBe('restored');
      expect(await restarted.load({ shard: 1 })).toEqual({ buffer: pre, window: 7 });
      expect(await restarted.load({ shard: 0 })).toEqual({ buffer: Float32Array.of(1, 1, 1), window: 8 });
      expect(await restarted.pending()).toEqual([{ window: 8, shard: 0, uid: 4 }]);
    });

    it('drops an unsettled send when its shard is saved again, with a warning', async () => {
      const lines: string[] = [];
      const store = storeOf({ lines });
      await store.save({ shard: 1, window: 7, buffer: post, sent: { uid: 4, beforeSend: pre } });
      await store.save({ shard: 1, window: 9, buffer: Float32Array.of(3, 3, 3) });
      expect(await store.pending()).toEqual([]);
      expect(await store.settle({ shard: 1, window: 7, restore: true })).toBe('none');
      expect(await storeOf().load({ shard: 1 })).toEqual({ buffer: Float32Array.of(3, 3, 3), window: 9 });
      expect(lines.join('\n')).toContain('unsettled error-feedback send dropped');
    });

    it('checksums the pending part too', async () => {
      await storeOf().save({ shard: 0, window: 7, buffer: post, sent: { uid: 4, beforeSend: pre } });
      const path = join(dir.path, 'error-feedback-0.bin');
      const bytes = await readFile(path);
      expect(bytes.length).toBe(112 + 2 * 4 * 3);
      bytes[bytes.length - 1]! ^= 0x01; // the last pre-send value
      await writeFile(path, bytes);
      const lines: string[] = [];
      const store = storeOf({ lines });
      expect(await store.pending()).toEqual([]);
      expect(await store.load({ shard: 0 })).toEqual({ buffer: new Float32Array(3), window: undefined });
      expect(lines.join('\n')).toContain('checksum mismatch');
    });
  });

  it('reads a version 1 file, which has no pending send', async () => {
    // Layout of version 1, written out by hand: a 96-byte header, then the values.
    const values = Float32Array.of(0.5, -2, 8);
    const bytes = new Uint8Array(96 + 4 * values.length);
    const view = new DataView(bytes.buffer);
    bytes.set(new TextEncoder().encode('TSRAEFBK'), 0);
    [1, 10, 3, 0, 5, 3].forEach((value, i) => view.setUint32(8 + 4 * i, value, true));
    bytes.set(Buffer.from(runSeed.slice(2), 'hex'), 32);
    values.forEach((value, i) => view.setFloat32(96 + 4 * i, value, true));
    bytes.set(Buffer.from(digestUpdate(bytes.subarray(96)).slice(2), 'hex'), 64);
    await writeFile(join(dir.path, 'error-feedback-0.bin'), bytes);

    const store = storeOf();
    expect(await store.load({ shard: 0 })).toEqual({ buffer: values, window: 5 });
    expect(await store.pending()).toEqual([]);
  });
});
