import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGpt2Tokenizer, openDatasetCorpus, parseHyperparameters } from '@tessera/core';
import type { Logger } from '@tessera/core';
import { serveDatasetMirror } from '@tessera/core/testing';
import type { DatasetMirrorServer } from '@tessera/core/testing';
import { runTessera } from '../_test/runTessera.js';
import { commands } from './all.js';

/** Runs `tessera …`, capturing what it prints. */
const cli = (argv: string[]) => runTessera(commands, argv);

/** Document i names itself, so a page can be traced to the documents it came from. */
const documentText = (i: number) => `Document ${i} is about boat number ${i * 7}.`;

/** `tessera data build` of the test's two input files into `out`, in shards of 64 tokens. */
const build = (out: string, ...flags: string[]) =>
  cli(['data', 'build', '--input', inputs.join(','), '--out', out, '--shard-tokens', '64', ...flags]);

/** A logger that keeps its warnings. */
function warningsLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger & { warnings: string[] } = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) => void warnings.push(`${message} ${JSON.stringify(fields)}`),
    error: () => undefined,
    child: () => logger,
  };
  return logger;
}

let home: string;
let inputs: string[];
let mirror: string;
let built: { manifest: `0x${string}`; shards: number; dataset: { manifest: string; mirrors: string[] } };
let server: DatasetMirrorServer;
let httpBase: string;
/** Files the HTTP mirror serves with other bytes: name → bytes. */
const tampered = new Map<string, Uint8Array>();

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'tessera-data-cmd-'));
  inputs = [join(home, 'docs.jsonl'), join(home, 'last.txt')];
  const lines = Array.from({ length: 39 }, (_, i) =>
    JSON.stringify({ text: documentText(i), source: 'test' }),
  );
  await writeFile(inputs[0]!, `${lines.join('\n')}\n`);
  await writeFile(inputs[1]!, documentText(39));
  mirror = join(home, 'mirror');
  const result = await build(mirror, '--name', 'boats', '--json');
  expect(result).toMatchObject({ code: 0, err: '' });
  built = JSON.parse(result.out) as typeof built;

  server = await serveDatasetMirror({ folder: mirror, tampered });
  httpBase = `${server.url}/ds`;
});

afterAll(async () => {
  await server.close();
  await rm(home, { recursive: true, force: true });
});

/** The training stream the tokenizer gives for the documents not held out (1 in 20). */
const trainTokens = () =>
  Array.from({ length: 40 }, (_, i) => i)
    .filter((i) => i % 20 !== 19)
    .flatMap((i) => [...createGpt2Tokenizer().encode(documentText(i)), 50256]);

describe('tessera data build', () => {
  it('writes the shards and the manifest, and prints a run-config snippet the hyperparameters take', async () => {
    expect(built.manifest).toMatch(/^0x[0-9a-f]{64}$/);
    const files = await readdir(mirror);
    expect(files).toHaveLength(built.shards + 1);
    expect(files).toContain(`${built.manifest.slice(2)}.manifest.json`);
    expect(built.dataset).toEqual({ manifest: built.manifest, mirrors: [mirror] });
    expect(parseHyperparameters({ dataset: built.dataset }).dataset).toEqual(built.dataset);

    // The text form: the same digest (a build is deterministic), and the snippet as JSON.
    const again = await build(mirror, '--name', 'boats', '--mirror', 'https://data.example/boats');
    expect(again.code).toBe(0);
    expect(again.out).toContain(`Manifest: ${built.manifest}`);
    const snippet = /"dataset": (\{.*\})/.exec(again.out)?.[1];
    expect(JSON.parse(snippet!)).toEqual({
      manifest: built.manifest,
      mirrors: ['https://data.example/boats'],
    });
    expect(await readdir(mirror)).toHaveLength(built.shards + 1);
  });

  it('refuses a folder holding other files unless --force, and bad input', async () => {
    const other = join(home, 'other');
    await mkdir(other);
    await writeFile(join(other, 'notes.txt'), 'mine');
    const refused = await build(other);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('--out');
    expect(refused.err).toContain('notes.txt');
    expect(await readdir(other)).toEqual(['notes.txt']);
    expect((await build(other, '--force')).code).toBe(0);
    expect(await readdir(other)).toHaveLength(built.shards + 2);

    await writeFile(join(home, 'bad.jsonl'), '{"text": "one"}\n{"body": "two"}\n');
    const bad = await cli(['data', 'build', '--input', join(home, 'bad.jsonl'), '--out', join(home, 'bad')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('bad.jsonl:2');
    expect((await cli(['data', 'build', '--out', join(home, 'x')])).code).toBe(2);
  });
});

describe('a built dataset', () => {
  it('opens from the folder and from an HTTP server serving it', async () => {
    for (const [at, mirrors] of [
      ['folder', [mirror]],
      ['http', [httpBase]],
    ] as const) {
      const corpus = await openDatasetCorpus({
        manifest: built.manifest,
        mirrors,
        pageTokens: 16,
        cacheDir: join(home, `cache-${at}`),
      });
      expect(corpus.trainTokenCount).toBe(trainTokens().length);
      expect([...corpus.getPage(2)]).toEqual(trainTokens().slice(32, 49));
      expect(corpus.tokenizer.decode(corpus.getHeldOutPage(0))).toContain('Document 19');
    }
  });

  it('refuses a tampered shard from one mirror and takes it from the next', async () => {
    const manifest = JSON.parse(
      await readFile(join(mirror, `${built.manifest.slice(2)}.manifest.json`), 'utf8'),
    ) as { shards: { digest: string }[] };
    const name = `${manifest.shards[1]!.digest.slice(2)}.tokens`;
    const bad = new Uint8Array(await readFile(join(mirror, name)));
    bad[0] = (bad[0]! + 1) % 256;
    tampered.set(name, bad);
    try {
      const logger = warningsLogger();
      const corpus = await openDatasetCorpus({
        manifest: built.manifest,
        mirrors: [httpBase, mirror],
        pageTokens: 16,
        cacheDir: join(home, 'cache-tampered'),
        logger,
      });
      expect([...corpus.getPage(4)]).toEqual(trainTokens().slice(64, 81));
      expect(logger.warnings).toHaveLength(1);
      expect(logger.warnings[0]).toContain(`${httpBase}/${name}`);
      expect(logger.warnings[0]).toContain('does not match its digest');

      // `data verify` names the bad shard of the HTTP mirror, and passes the folder.
      const verified = await cli([
        'data',
        'verify',
        '--manifest',
        built.manifest,
        '--mirror',
        `${httpBase},${mirror}`,
      ]);
      expect(verified.code).toBe(1);
      expect(verified.out).toContain(
        `${httpBase}: INCOMPLETE, ${built.shards - 1} of ${built.shards} shards verified`,
      );
      expect(verified.out).toContain(`shard 1 ${manifest.shards[1]!.digest}`);
      expect(verified.out).toContain(`${mirror}: ok, ${built.shards} of ${built.shards} shards verified`);
    } finally {
      tampered.clear();
    }
    const clean = await cli(['data', 'verify', '--manifest', built.manifest, '--mirror', httpBase, '--json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.out)).toMatchObject({
      ok: true,
      mirrors: [{ ok: true, goodShards: built.shards }],
    });
    const missing = await cli(['data', 'verify', '--manifest', `0x${'11'.repeat(32)}`, '--mirror', mirror]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('manifest refused');
  });
});
