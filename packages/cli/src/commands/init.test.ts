import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashRunConfig, hyperparameterPresets, parseHyperparameters } from '@tessera/core';
import { runTessera } from '../_test/runTessera.js';
import { exitCodes } from '../exitCodes.js';
import { commands } from './all.js';

const SEED = `0x${'ab'.repeat(32)}`;

describe('tessera init', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-init-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes a run config every role parses, and prints the hash that file hashes to', async () => {
    const out = join(dir, 'run.json');
    const result = await runTessera(commands, ['init', '--preset', 'gpu', '--out', out, '--json']);
    expect(result).toMatchObject({ code: exitCodes.ok, err: '' });
    const printed = JSON.parse(result.out) as {
      runConfigHash: string;
      runSeed: string;
      modelPreset: string;
      memory: { parameterCount: number; totalBytes: number };
    };
    const written = parseHyperparameters(JSON.parse(await readFile(out, 'utf8')));
    expect(printed.runConfigHash).toBe(hashRunConfig({ hyperparameters: written }));
    expect(printed.modelPreset).toBe('gpu-50m');
    // A fresh seed, not the preset's: two runs from one preset must not share pages.
    expect(written.runSeed).toBe(printed.runSeed);
    expect(written.runSeed).not.toBe(hyperparameterPresets.gpu.runSeed);
    expect(written).toEqual({ ...hyperparameterPresets.gpu, runSeed: written.runSeed });
    expect(printed.memory.parameterCount).toBeGreaterThan(50_000_000);
    expect(printed.memory.totalBytes).toBeGreaterThan(4 * printed.memory.parameterCount);
    // Nothing is left beside it.
    expect(await readdir(dir)).toEqual(['run.json']);
  });

  it('applies --set overrides (JSON values as numbers) and prints the hash and memory as text', async () => {
    const out = join(dir, 'run.json');
    const result = await runTessera(commands, [
      'init',
      '--out',
      out,
      '--set',
      `runSeed=${SEED}`,
      '--set',
      'innerSteps=3',
    ]);
    expect(result.code).toBe(exitCodes.ok);
    const written = parseHyperparameters(JSON.parse(await readFile(out, 'utf8')));
    expect(written).toMatchObject({ runSeed: SEED, innerSteps: 3, modelPreset: 'tiny' });
    expect(result.out).toContain(`run config hash  ${hashRunConfig({ hyperparameters: written })}`);
    expect(result.out).toMatch(/AdamW moments\s+\d+\.\d MiB/);
    expect(result.out).toContain('--run-config-hash');
  });

  it('gives the same hash for the same config, whatever the key order', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    await runTessera(commands, ['init', '--out', a, '--set', `runSeed=${SEED}`]);
    await runTessera(commands, ['init', '--out', b, '--set', `runSeed=${SEED}`]);
    const parsedA = JSON.parse(await readFile(a, 'utf8')) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(parsedA).reverse());
    expect(hashRunConfig({ hyperparameters: parseHyperparameters(reordered) })).toBe(
      hashRunConfig({ hyperparameters: parseHyperparameters(JSON.parse(await readFile(b, 'utf8'))) }),
    );
  });

  it('never replaces a file without --force, and replaces it with --force', async () => {
    const out = join(dir, 'run.json');
    await writeFile(out, 'mine');
    const refused = await runTessera(commands, ['init', '--out', out]);
    expect(refused.code).toBe(exitCodes.failure);
    expect(refused.err).toContain('exists already');
    expect(await readFile(out, 'utf8')).toBe('mine');
    expect(await readdir(dir)).toEqual(['run.json']);
    const forced = await runTessera(commands, ['init', '--out', out, '--force']);
    expect(forced.code).toBe(exitCodes.ok);
    expect(forced.out).toContain('wrote');
    parseHyperparameters(JSON.parse(await readFile(out, 'utf8')));
  });

  it('refuses an unknown preset, a malformed --set and a bad value as usage errors, writing nothing', async () => {
    const out = join(dir, 'run.json');
    const unknown = await runTessera(commands, ['init', '--preset', 'huge', '--out', out]);
    expect(unknown.code).toBe(exitCodes.usage);
    expect(unknown.err).toContain('unknown preset "huge"; known: tiny, gpu');
    const malformed = await runTessera(commands, ['init', '--out', out, '--set', 'innerSteps']);
    expect(malformed.code).toBe(exitCodes.usage);
    expect(malformed.err).toContain('"innerSteps" is not key=value');
    const bad = await runTessera(commands, [
      'init',
      '--out',
      out,
      '--set',
      'innerSteps=-1',
      '--set',
      'nope=1',
    ]);
    expect(bad.code).toBe(exitCodes.usage);
    expect(bad.err).toContain('innerSteps');
    expect(bad.err).toContain('nope');
    expect(await readdir(dir)).toEqual([]);
  });
});
