import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore, createUpdateServer, httpGet } from '@tessera/core';
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

/** Update store throughput: atomic file puts, capped file reads and capped HTTP downloads on loopback. */
export const storageBench: Bench = {
  name: 'storage',
  description:
    'UpdateStore throughput per update size (median of several runs): file put (temp file, datasync, rename), ' +
    'capped file get, and capped HTTP get from the miner update server on loopback; `vsReadFile` is the time ' +
    'relative to a plain fs.readFile of the same file.',
  async *run({ quick }): AsyncIterable<BenchResult> {
    const root = await mkdtemp(join(tmpdir(), 'tessera-bench-storage-'));
    const store = createFileStore({ root });
    const server = await createUpdateServer({ store, maxBytes: 256 << 20 });
    const runs = quick ? 3 : 9;
    try {
      for (const mib of quick ? [1] : [1, 16, 64]) {
        const bytes = new Uint8Array(mib << 20).map((_, i) => (i * 2654435761) >>> 24);
        const key = `bench/${mib}mib.bin`;
        const read = { maxBytes: 256 << 20, timeoutMs: 60_000 };
        const { uri: fileUri } = await store.put({ key, bytes });
        const httpUri = server.store.uriOf({ key });
        const baseline = await time(runs, () => readFile(new URL(fileUri)));
        const ops: [string, () => Promise<unknown>][] = [
          ['file put', () => store.put({ key, bytes })],
          ['file get', () => store.get({ uri: fileUri, ...read })],
          ['http get', () => httpGet({ uri: httpUri, ...read })],
        ];
        yield {
          bench: 'storage',
          op: 'fs.readFile (baseline)',
          mib,
          medianMs: baseline,
          mibPerS: mib / (baseline / 1000),
          vsReadFile: 1,
        };
        for (const [op, task] of ops) {
          const ms = await time(runs, task);
          yield {
            bench: 'storage',
            op,
            mib,
            medianMs: ms,
            mibPerS: mib / (ms / 1000),
            vsReadFile: ms / baseline,
          };
        }
      }
    } finally {
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  },
};
