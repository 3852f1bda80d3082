import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '@tessera/core';
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
  });
});
