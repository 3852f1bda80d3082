import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  HyperparametersError,
  assignWork,
  buildDataset,
  createStoreRouter,
  getModelPreset,
  heldOutBatches,
  parseHyperparameters,
  randomPages,
  silentLogger,
} from '@tessera/core';
import { loadRunContext } from './loadRunContext.js';
import { openRunCorpus } from './openRunCorpus.js';

const documentText = (i: number) => `Note ${i}: the kettle sang ${i % 5} times.`;

let home: string;
let dataset: { manifest: `0x${string}`; mirrors: string[] };
let ownMirror: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tessera-run-corpus-'));
  const built = await buildDataset({
    documents: Array.from({ length: 60 }, (_, i) => documentText(i)),
    tokenizer: 'gpt2',
    shardTokens: 50,
    outDir: join(home, 'mirror'),
  });
  dataset = { manifest: built.digest, mirrors: [join(home, 'missing'), join(home, 'mirror')] };
  ownMirror = join(home, 'own');
  await cp(join(home, 'mirror'), ownMirror, { recursive: true });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('the run corpus', () => {
  it('is read from the role’s own mirrors first', async () => {
    const hyperparameters = parseHyperparameters({ pageTokens: 8, dataset });
    const modelConfig = { ...getModelPreset({ name: 'tiny' }), vocabSize: 50257 };
    const read: string[] = [];
    const router = createStoreRouter();
    const corpus = await openRunCorpus({
      hyperparameters,
      modelConfig,
      cacheDir: join(home, 'cache-own'),
      datasetMirrors: [ownMirror],
      router: { schemes: router.schemes, get: (get) => (read.push(get.uri), router.get(get)) },
      logger: silentLogger,
    });
    expect(corpus.trainPageCount).toBeGreaterThan(0);
    expect(read.length).toBeGreaterThan(1);
    expect(read.every((uri) => uri.startsWith(pathToFileURL(ownMirror).href))).toBe(true);
  });

  it('is the dataset the run config names, and assignment and the held-out split work on it', async () => {
    const hyperparameters = parseHyperparameters({ pageTokens: 8, pagesPerWindow: 4, dataset });
    // No preset has GPT-2's vocabulary yet: a config made for the test stands in for one.
    const modelConfig = { ...getModelPreset({ name: 'tiny' }), vocabSize: 50257 };
    const corpus = await openRunCorpus({
      hyperparameters,
      modelConfig,
      cacheDir: join(home, 'cache'),
      logger: silentLogger,
    });
    expect(corpus.tokenizer.vocabSize).toBe(50257);
    expect(corpus.heldOutPageCount).toBeGreaterThan(0);
    expect(corpus.pageLength).toBe(9);

    const { pages } = assignWork({
      runSeed: hyperparameters.runSeed,
      window: 3,
      uid: 1,
      blockHash: `0x${'ab'.repeat(32)}`,
      trainPageCount: corpus.trainPageCount,
      pagesPerWindow: hyperparameters.pagesPerWindow,
    });
    expect(new Set(pages).size).toBe(4);
    const unseen = randomPages({
      seed: new Uint8Array(32),
      count: 8,
      pageCount: corpus.trainPageCount,
      exclude: pages,
    });
    // Documents 19, 39 and 59 are held out (one in 20): no training page holds them.
    const training = [...pages, ...unseen, ...Array.from({ length: corpus.trainPageCount }, (_, i) => i)]
      .map((page) => corpus.tokenizer.decode(corpus.getPage(page)))
      .join('');
    expect(training).not.toMatch(/Note (19|39|59):/);
    const heldOut = heldOutBatches({ corpus, pages: 100, batchSize: 2 });
    expect(heldOut.length).toBe(Math.ceil(corpus.heldOutPageCount / 2));
    const heldOutText = Array.from({ length: corpus.heldOutPageCount }, (_, i) =>
      corpus.tokenizer.decode(corpus.getHeldOutPage(i)),
    ).join('');
    expect(heldOutText).toMatch(/Note 19:.*Note 39:/s);
    expect(heldOutText).not.toContain('Note 18:');
  });

  it('refuses a run whose model preset does not have the dataset tokenizer’s vocabulary, before fetching', async () => {
    const run = join(home, 'run.json');
    await writeFile(
      run,
      JSON.stringify({ modelPreset: 'tiny', dataset: { ...dataset, mirrors: [join(home, 'none')] } }),
    );
    const loading = loadRunContext({
      run,
      cacheDir: join(home, 'cache-run'),
      backend: 'cpu',
      logger: silentLogger,
    });
    await expect(loading).rejects.toThrow(HyperparametersError);
    await expect(loading).rejects.toThrow(
      /\/modelPreset: .*GPT-2 BPE, 50257 tokens.*tiny has 512.*No preset has 50257 tokens yet/,
    );
  });
});
