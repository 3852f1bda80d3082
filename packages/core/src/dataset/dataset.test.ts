import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGpt2Tokenizer } from '../data/createGpt2Tokenizer.js';
import { DatasetError } from '../errors/dataset.js';
import { buildDataset } from './buildDataset.js';
import { openDatasetCorpus } from './openDatasetCorpus.js';
import { serveDatasetMirror } from '../testing/serveDatasetMirror.js';
import type { DatasetMirrorServer } from '../testing/serveDatasetMirror.js';
import { readDatasetInputs } from './readDatasetInputs.js';

const words = ['river', 'stone', 'lantern', 'harbor', 'meadow', 'copper', 'violet', 'winter'];
/** Document i: a sentence that names i, so pages can be traced back to documents. */
const documentText = (i: number) =>
  `Document ${i} tells of the ${words[i % 8]} and the ${words[(i * 3) % 8]}. It is line ${i}.`;

let folder: string;
let cacheRoot: string;
let built: Awaited<ReturnType<typeof buildDataset>>;
let server: DatasetMirrorServer;
let httpBase: string;
/** Files the HTTP mirror serves tampered: name → bytes. */
const tampered = new Map<string, Uint8Array>();

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'tessera-dataset-'));
  cacheRoot = await mkdtemp(join(tmpdir(), 'tessera-dataset-cache-'));
  const inputs = join(folder, 'inputs');
  const jsonl = Array.from({ length: 39 }, (_, i) => JSON.stringify({ text: documentText(i), id: i })).join(
    '\n',
  );
  await writeFile(`${inputs}.jsonl`, `${jsonl}\n`);
  await writeFile(`${inputs}.txt`, documentText(39));
  const documents = await readDatasetInputs({ paths: [`${inputs}.jsonl`, `${inputs}.txt`] });
  expect(documents).toHaveLength(40);
  built = await buildDataset({
    documents,
    tokenizer: 'gpt2',
    shardTokens: 100,
    outDir: join(folder, 'mirror'),
    name: 'test',
  });

  server = await serveDatasetMirror({ folder: join(folder, 'mirror'), tampered });
  httpBase = `${server.url}/data/`;
});

afterAll(async () => {
  await server.close();
  await rm(folder, { recursive: true, force: true });
  await rm(cacheRoot, { recursive: true, force: true });
});

/** The tokens a document contributes to its stream, from the tokenizer directly. */
const tokensOf = (i: number) => [...createGpt2Tokenizer().encode(documentText(i)), 50256];
const expectedStream = (heldOut: boolean) =>
  Array.from({ length: 40 }, (_, i) => i)
    .filter((i) => (i % 20 === 19) === heldOut)
    .flatMap(tokensOf);

describe('GPT-2 tokenizer', () => {
  it('encodes GPT-2 ids and round-trips text', () => {
    const tokenizer = createGpt2Tokenizer();
    expect(tokenizer.vocabSize).toBe(50257);
    expect([...tokenizer.encode('Hello world')]).toEqual([15496, 995]);
    const text = 'Ünïcödé, tabs\tand <|endoftext|> stay text. 12345!';
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
    expect(() => tokenizer.decode([50257])).toThrow('outside the vocabulary');
  });
});

describe('datasets', () => {
  it('writes shards named by digest and a manifest with both splits', async () => {
    const { manifest } = built;
    expect(manifest.documents).toEqual({ train: 38, heldOut: 2 });
    expect(manifest.shards.filter((shard) => shard.split === 'held-out').length).toBeGreaterThan(0);
    expect(manifest.shards.every((shard) => shard.tokens <= 100)).toBe(true);
    const files = await readdir(join(folder, 'mirror'));
    expect(files).toHaveLength(manifest.shards.length + 1);
    expect(files).toContain(`${built.digest.slice(2)}.manifest.json`);
  });

  it('reads back through a folder mirror: pages are the documents in split order', async () => {
    const corpus = await openDatasetCorpus({
      manifest: built.digest,
      mirrors: [join(folder, 'mirror')],
      pageTokens: 16,
      cacheDir: join(cacheRoot, 'folder'),
    });
    const train = expectedStream(false);
    const heldOut = expectedStream(true);
    expect(corpus.trainTokenCount).toBe(train.length);
    expect(corpus.heldOutTokenCount).toBe(heldOut.length);
    expect(corpus.trainPageCount).toBe(Math.floor((train.length - 1) / 16));
    expect([...corpus.getPage(1)]).toEqual(train.slice(16, 33));
    expect([...corpus.getHeldOutPage(0)]).toEqual(heldOut.slice(0, 17));
    expect(corpus.tokenizer.decode(corpus.getHeldOutPage(0))).toContain('Document 19');
  });

  it('reads back through an HTTP mirror, after a mirror that does not have it', async () => {
    const corpus = await openDatasetCorpus({
      manifest: built.digest,
      mirrors: [join(folder, 'missing'), httpBase],
      pageTokens: 16,
      cacheDir: join(cacheRoot, 'http'),
    });
    expect([...corpus.getPage(0)]).toEqual(expectedStream(false).slice(0, 17));
  });

  it('refuses a tampered shard and takes it from the next mirror', async () => {
    const shard = built.manifest.shards[1]!;
    const name = `${shard.digest.slice(2)}.tokens`;
    const original = await readFile(join(folder, 'mirror', name));
    const bad = new Uint8Array(original);
    bad[0] = (bad[0]! + 1) % 256;
    tampered.set(name, bad);
    try {
      await expect(
        openDatasetCorpus({
          manifest: built.digest,
          mirrors: [httpBase],
          pageTokens: 16,
          cacheDir: join(cacheRoot, 'bad'),
        }),
      ).rejects.toMatchObject({
        reason: 'unavailable',
        details: expect.stringContaining('does not match its digest'),
      });
      const corpus = await openDatasetCorpus({
        manifest: built.digest,
        mirrors: [httpBase, join(folder, 'mirror')],
        pageTokens: 16,
        cacheDir: join(cacheRoot, 'bad'),
      });
      expect([...corpus.getPage(2)]).toEqual(expectedStream(false).slice(32, 49));
    } finally {
      tampered.clear();
    }
  });

  it('refuses a manifest that does not match the digest the run names', async () => {
    const name = `${built.digest.slice(2)}.manifest.json`;
    const manifest = JSON.parse(await readFile(join(folder, 'mirror', name), 'utf8')) as { name: string };
    tampered.set(name, new TextEncoder().encode(JSON.stringify({ ...manifest, name: 'changed' })));
    try {
      const error = await openDatasetCorpus({
        manifest: built.digest,
        mirrors: [httpBase],
        pageTokens: 16,
        cacheDir: join(cacheRoot, 'manifest'),
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatasetError);
      expect(error).toMatchObject({
        reason: 'unavailable',
        details: expect.stringContaining('manifest does not match its digest'),
      });
    } finally {
      tampered.clear();
    }
  });

  it('refuses fewer documents than one held-out split needs, and bad JSONL', async () => {
    await expect(
      buildDataset({
        documents: ['a', 'b'],
        tokenizer: 'gpt2',
        shardTokens: 100,
        outDir: join(folder, 'few'),
      }),
    ).rejects.toMatchObject({ reason: 'invalid-parameter' });
    const path = join(folder, 'bad.jsonl');
    await writeFile(path, '{"text": "fine"}\n{"title": 3}\n');
    await expect(readDatasetInputs({ paths: [path] })).rejects.toMatchObject({
      reason: 'bad-input',
      details: `${path}:2`,
    });
  });
});
