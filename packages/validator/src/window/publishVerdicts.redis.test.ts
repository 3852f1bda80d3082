import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore, createStoreRouter, fetchWindowVerdicts, silentLogger } from '@tessera/core';
import type { Hex32 } from '@tessera/core';
import { Redis } from 'ioredis';
import { applyWindowScores } from '../applyWindowScores.js';
import { validatorKeys } from '../validatorKeys.js';
import { modelFileKey } from './createModelFiles.js';
import { publishVerdicts } from './publishVerdicts.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const validator = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;
let redis: Redis;
let dir: string;

beforeAll(() => {
  redis = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await redis.quit();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-verdicts-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('publishVerdicts', () => {
  it('writes the recorded verdicts beside the model file, where a reader of the aggregate finds them', async () => {
    const keys = validatorKeys({ subnet: `test-${Date.now()}-${Math.random()}`, hotkey: validator });
    const store = createFileStore({ root: dir });
    const hash = `0x${'cd'.repeat(32)}` as Hex32;
    const window = 5;
    await applyWindowScores({
      redis,
      keys,
      window,
      alpha: 0.5,
      scores: [
        {
          uid: 3,
          hotkey: '0x01',
          result: {
            status: 'scored',
            score: 1.25,
            losses: { own: { before: 5, after: 4.5 }, unseen: { before: 5, after: 4.75 } },
          },
        },
        { uid: 4, hotkey: '0x02', result: { status: 'rejected', reason: 'out-of-sync', score: 0 } },
      ],
    });
    try {
      const modelUri = store.uriOf({ key: modelFileKey({ window: window + 1, hash }) });
      const uri = await publishVerdicts({
        chain: { address: validator } as never,
        store,
        redis,
        keys,
        logger: silentLogger,
        signal: new AbortController().signal,
        window,
        uids: [3],
        hash,
        modelUri,
      });
      expect(uri).toBe(modelUri.replace(/\.ckpt$/, '.verdicts.json'));
      const read = await fetchWindowVerdicts({
        aggregate: { window, uids: [3], modelHash: hash, validator, uri: modelUri },
        router: createStoreRouter(),
      });
      expect(read.verdicts).toEqual([
        { uid: 3, status: 'scored', reason: null, score: 1.25, lossGain: 0.25, inAggregate: true },
        { uid: 4, status: 'rejected', reason: 'out-of-sync', score: 0, lossGain: null, inAggregate: false },
      ]);
      await expect(
        fetchWindowVerdicts({
          aggregate: { window, uids: [3, 4], modelHash: hash, validator, uri: modelUri },
          router: createStoreRouter(),
        }),
      ).rejects.toMatchObject({ reason: 'wrong-aggregate' });
    } finally {
      const found = await redis.keys(`${keys.prefix}:*`);
      if (found.length > 0) await redis.del(...found);
    }
  });
});
