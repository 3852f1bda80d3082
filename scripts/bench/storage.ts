import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createFileStore,
  createS3Client,
  createS3Reader,
  createS3Store,
  createUpdateServer,
  encodedUpdateSize,
  getModelPreset,
  httpGet,
  hyperparameterPresets,
  parameterCount,
} from '@tessera/core';
import type { Hyperparameters, UpdateStore } from '@tessera/core';
import { startS3Server } from '@tessera/devtools';
import type { Bench, BenchResult } from './types.js';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function time(runs: number, task: () => Promise<unknown>): Promise<number> {
  await task(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/** What a role moves: one shard's update, and a full checkpoint, at a preset's sizes. */
function payloads(parameters: { quick: boolean }): { what: string; bytes: number }[] {
  const of = (preset: 'tiny' | 'gpu') => {
    const h: Hyperparameters = hyperparameterPresets[preset];
    const count = parameterCount({ config: getModelPreset({ name: h.modelPreset }) });
    const update = encodedUpdateSize({
      parameterCount: count,
      shards: h.shards,
      shard: 0,
      chunkSize: h.chunkSize,
      topK: h.topK,
      bits: h.quantBits,
    });
    return [
      { what: `update (${preset})`, bytes: update },
      // float32 parameters; the header is a few hundred bytes more.
      { what: `checkpoint (${h.modelPreset})`, bytes: count * 4 },
    ];
  };
  return parameters.quick ? of('tiny') : [...of('tiny'), ...of('gpu')];
}

/**
 * Moving one update and one checkpoint through each store kind on loopback: a folder
 * (`file://`), a role's own HTTP server, and S3 (s3rver) read both signed through the S3
 * client (`s3://`) and unsigned over HTTP (a public-read bucket).
 */
export const storageBench: Bench = {
  name: 'storage',
  description:
    'Seconds to move one update (one shard, the preset’s compression) and one checkpoint (float32 parameters) through each store kind on loopback, median of several runs: put, then get with the byte cap a reader applies. Kinds: a folder (file://), the role’s own HTTP server (put to its folder, get over HTTP), and S3 on s3rver (put with the S3 client; get signed through the S3 client from s3:// and unsigned over HTTP from the public URL). `mibPerS` is the get rate.',
  async *run({ quick }): AsyncIterable<BenchResult> {
    const root = await mkdtemp(join(tmpdir(), 'tessera-bench-storage-'));
    const s3 = await startS3Server({ buckets: ['bench'] });
    const fileStore = createFileStore({ root: join(root, 'file') });
    const server = await createUpdateServer({
      store: createFileStore({ root: join(root, 'http') }),
      maxBytes: 512 << 20,
    });
    const settings = { endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials };
    const client = createS3Client(settings);
    const s3Store = createS3Store({ ...settings, client, bucket: 'bench', prefix: 'signed' });
    const publicStore = createS3Store({
      ...settings,
      client,
      bucket: 'bench',
      prefix: 'public',
      publicUrl: `${s3.endpoint}/bench`,
    });
    const s3Reader = createS3Reader({ client, buckets: ['bench'] });
    const kinds: {
      kind: string;
      store: UpdateStore;
      get: (uri: string, maxBytes: number) => Promise<unknown>;
    }[] = [
      {
        kind: 'file',
        store: fileStore,
        get: (uri, maxBytes) => fileStore.get({ uri, maxBytes, timeoutMs: 120_000 }),
      },
      {
        kind: 'http (own server)',
        store: server.store,
        get: (uri, maxBytes) => httpGet({ uri, maxBytes, timeoutMs: 120_000 }),
      },
      {
        kind: 's3 (signed)',
        store: s3Store,
        get: (uri, maxBytes) => s3Reader({ uri, maxBytes, timeoutMs: 120_000 }),
      },
      {
        kind: 's3 (public url)',
        store: publicStore,
        get: (uri, maxBytes) => httpGet({ uri, maxBytes, timeoutMs: 120_000 }),
      },
    ];
    try {
      for (const { what, bytes: size } of payloads({ quick })) {
        const bytes = new Uint8Array(randomBytes(size));
        const runs = size > 64 << 20 ? 3 : quick ? 3 : 7;
        for (const { kind, store, get } of kinds) {
          const key = `bench/${what.replace(/\W+/g, '-')}.bin`;
          const put = await time(runs, () => store.put({ key, bytes }));
          const uri = store.uriOf({ key });
          const got = await time(runs, () => get(uri, size));
          yield {
            bench: 'storage',
            what,
            kind,
            bytes: size,
            putS: put / 1000,
            getS: got / 1000,
            mibPerS: size / (1 << 20) / (got / 1000),
          };
        }
      }
    } finally {
      await server.close();
      await s3.stop();
      await rm(root, { recursive: true, force: true });
    }
  },
};
