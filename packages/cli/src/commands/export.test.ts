import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hyperparameterPresets } from '@tessera/core';
import { testCacheDir, writeGpt2Checkpoint, writeTinyRun } from '../_test/gpt2Checkpoint.js';
import type { Gpt2Checkpoint } from '../_test/gpt2Checkpoint.js';
import { runTessera } from '../_test/runTessera.js';
import { exitCodes } from '../exitCodes.js';
import { commands } from './all.js';

/** The JSON header of a safetensors file, read by hand. */
function safetensorsHeader(
  bytes: Uint8Array,
): Record<string, { shape?: number[] } & Record<string, unknown>> {
  const length = Number(Buffer.from(bytes).readBigUInt64LE(0));
  return JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8')) as never;
}

/** `tessera export --model model --out out …flags`. */
const runExport = (model: string, out: string, ...flags: string[]) =>
  runTessera(commands, ['export', '--model', model, '--out', out, ...flags]);

describe('tessera export', () => {
  let fixture: Gpt2Checkpoint;
  let dir: string;
  let model: string;
  let hash: string;
  beforeEach(async () => {
    fixture = await writeGpt2Checkpoint({ prefix: 'tessera-export-', window: 3, seed: 1n, initStd: 0.02 });
    ({ folder: dir, model, modelHash: hash } = fixture);
  });
  afterEach(() => fixture.cleanup());

  it('writes a GPT-2 folder from a checkpoint whose hash matches, and prints what it wrote', async () => {
    const out = join(dir, 'export');
    const result = await runExport(model, out, '--model-hash', hash);
    expect(result).toMatchObject({ code: exitCodes.ok, err: '' });
    expect(JSON.parse(result.out)).toEqual({
      out,
      files: ['model.safetensors', 'config.json', 'tokenizer_config.json'],
      modelHash: hash,
      window: 3,
      config: 'test-gpt2',
    });
    expect((await readdir(out)).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer_config.json',
    ]);
    const header = safetensorsHeader(await readFile(join(out, 'model.safetensors')));
    expect(header.__metadata__).toMatchObject({
      format: 'pt',
      tessera_model_hash: hash,
      tessera_window: '3',
    });
    expect(header['transformer.wte.weight']?.shape).toEqual([50257, 4]);
    expect(JSON.parse(await readFile(join(out, 'config.json'), 'utf8'))).toMatchObject({
      eos_token_id: 50256,
    });
  });

  it('refuses to replace an earlier export unless --force', async () => {
    const out = join(dir, 'export');
    expect((await runExport(model, out)).code).toBe(exitCodes.ok);
    await writeFile(join(out, 'config.json'), 'mine');
    const refused = await runExport(model, out);
    expect(refused.code).toBe(exitCodes.failure);
    expect(refused.err).toContain('already holds an export');
    expect(await readFile(join(out, 'config.json'), 'utf8')).toBe('mine');
    expect((await runExport(model, out, '--force')).code).toBe(exitCodes.ok);
    expect(await readFile(join(out, 'config.json'), 'utf8')).toContain('GPT2LMHeadModel');
    // Nothing but the export: no temporary files left behind.
    expect((await readdir(out)).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer_config.json',
    ]);
  });

  it('reads a file: URI, and refuses a checkpoint with another hash or of another preset than the run', async () => {
    const out = join(dir, 'export');
    const uri = pathToFileURL(model).href;
    expect((await runExport(uri, out)).code).toBe(exitCodes.ok);
    const wrong = await runExport(model, join(dir, 'x'), '--model-hash', `0x${'ab'.repeat(32)}`);
    expect(wrong.code).toBe(exitCodes.failure);
    expect(wrong.err).toMatch(/hash/i);
    const run = join(dir, 'run.json');
    await writeFile(run, JSON.stringify(hyperparameterPresets.tiny));
    const other = await runExport(model, join(dir, 'y'), '--run', run);
    expect(other.code).toBe(exitCodes.failure);
    const missing = await runExport(join(dir, 'none.ckpt'), join(dir, 'z'));
    expect(missing.code).toBe(exitCodes.failure);
    expect(missing.err).toContain('Cannot read the model file');
  });

  it("writes the trained BPE's vocab.json and merges.txt for a model of the run's preset", async () => {
    const tiny = await writeTinyRun({ folder: dir });
    const out = join(dir, 'export');
    const result = await runExport(tiny.model, out, '--run', tiny.run, '--cache-dir', testCacheDir);
    expect(result.code).toBe(exitCodes.ok);
    const vocab = JSON.parse(await readFile(join(out, 'vocab.json'), 'utf8')) as Record<string, number>;
    expect(vocab['Ġ']).toBe(32);
    expect((await readFile(join(out, 'merges.txt'), 'utf8')).split('\n')).toHaveLength(1 + 256 + 1);
  });

  it('is a usage error without --out', async () => {
    expect((await runTessera(commands, ['export', '--model', model])).code).toBe(exitCodes.usage);
  });
});
