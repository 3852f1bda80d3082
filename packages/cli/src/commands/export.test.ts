import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createGpt2Tokenizer,
  hyperparameterPresets,
  initParameters,
  modelPresets,
  parseModelConfig,
  saveCheckpoint,
} from '@tessera/core';
import type { ModelConfig } from '@tessera/core';
import { runTessera } from '../_test/runTessera.js';
import { exitCodes } from '../exitCodes.js';
import { commands } from './all.js';

/** A small model over GPT-2's vocabulary, so no BPE has to be trained. */
const gpt2Config: ModelConfig = parseModelConfig({
  config: {
    name: 'test-gpt2',
    vocabSize: createGpt2Tokenizer().vocabSize,
    contextLength: 16,
    dModel: 4,
    layers: 1,
    heads: 1,
    mlpHidden: 8,
    tieEmbeddings: true,
    layerNormEpsilon: 1e-5,
    initStd: 0.02,
  },
});
const cacheDir = join(tmpdir(), 'tessera-test-cache');

/** The JSON header of a safetensors file, read by hand. */
function safetensorsHeader(
  bytes: Uint8Array,
): Record<string, { shape?: number[] } & Record<string, unknown>> {
  const length = Number(Buffer.from(bytes).readBigUInt64LE(0));
  return JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8')) as never;
}

describe('tessera export', () => {
  let dir: { path: string; cleanup: () => Promise<void> };
  let model: string;
  let hash: string;
  beforeEach(async () => {
    const path = await mkdtemp(join(tmpdir(), 'tessera-export-'));
    dir = { path, cleanup: () => rm(path, { recursive: true, force: true }) };
    model = join(dir.path, 'w3.ckpt');
    ({ modelHash: hash } = await saveCheckpoint({
      path: model,
      config: gpt2Config,
      window: 3,
      parameters: initParameters({ config: gpt2Config, seed: 1n }),
    }));
  });
  afterEach(() => dir.cleanup());

  it('writes a GPT-2 folder from a checkpoint whose hash matches, and prints what it wrote', async () => {
    const out = join(dir.path, 'export');
    const result = await runTessera(commands, [
      'export',
      '--model',
      model,
      '--model-hash',
      hash,
      '--out',
      out,
    ]);
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
    const out = join(dir.path, 'export');
    expect((await runTessera(commands, ['export', '--model', model, '--out', out])).code).toBe(exitCodes.ok);
    await writeFile(join(out, 'config.json'), 'mine');
    const refused = await runTessera(commands, ['export', '--model', model, '--out', out]);
    expect(refused.code).toBe(exitCodes.failure);
    expect(refused.err).toContain('already holds an export');
    expect(await readFile(join(out, 'config.json'), 'utf8')).toBe('mine');
    expect((await runTessera(commands, ['export', '--model', model, '--out', out, '--force'])).code).toBe(
      exitCodes.ok,
    );
    expect(await readFile(join(out, 'config.json'), 'utf8')).toContain('GPT2LMHeadModel');
    // Nothing but the export: no temporary files left behind.
    expect((await readdir(out)).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer_config.json',
    ]);
  });

  it('reads a file: URI, and refuses a checkpoint with another hash or of another preset than the run', async () => {
    const out = join(dir.path, 'export');
    const uri = pathToFileURL(model).href;
    expect((await runTessera(commands, ['export', '--model', uri, '--out', out])).code).toBe(exitCodes.ok);
    const wrong = await runTessera(commands, [
      'export',
      '--model',
      model,
      '--model-hash',
      `0x${'ab'.repeat(32)}`,
      '--out',
      join(dir.path, 'x'),
    ]);
    expect(wrong.code).toBe(exitCodes.failure);
    expect(wrong.err).toMatch(/hash/i);
    const run = join(dir.path, 'run.json');
    await writeFile(run, JSON.stringify(hyperparameterPresets.tiny));
    const other = await runTessera(commands, [
      'export',
      '--model',
      model,
      '--run',
      run,
      '--out',
      join(dir.path, 'y'),
    ]);
    expect(other.code).toBe(exitCodes.failure);
    const missing = await runTessera(commands, [
      'export',
      '--model',
      join(dir.path, 'none.ckpt'),
      '--out',
      join(dir.path, 'z'),
    ]);
    expect(missing.code).toBe(exitCodes.failure);
    expect(missing.err).toContain('Cannot read the model file');
  });

  it("writes the trained BPE's vocab.json and merges.txt for a model of the run's preset", async () => {
    const config = modelPresets.tiny;
    const tiny = join(dir.path, 'tiny.ckpt');
    await saveCheckpoint({ path: tiny, config, window: 0, parameters: initParameters({ config, seed: 2n }) });
    const run = join(dir.path, 'run.json');
    await writeFile(run, JSON.stringify(hyperparameterPresets.tiny));
    const out = join(dir.path, 'export');
    const result = await runTessera(commands, [
      'export',
      '--model',
      tiny,
      '--run',
      run,
      '--cache-dir',
      cacheDir,
      '--out',
      out,
    ]);
    expect(result.code).toBe(exitCodes.ok);
    const vocab = JSON.parse(await readFile(join(out, 'vocab.json'), 'utf8')) as Record<string, number>;
    expect(vocab['Ġ']).toBe(32);
    expect((await readFile(join(out, 'merges.txt'), 'utf8')).split('\n')).toHaveLength(1 + 256 + 1);
  });

  it('is a usage error without --out', async () => {
    expect((await runTessera(commands, ['export', '--model', model])).code).toBe(exitCodes.usage);
  });
});
