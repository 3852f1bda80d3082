import { createGpt2Tokenizer } from '@tessera/core';
import { testCacheDir, writeGpt2Checkpoint, writeTinyRun } from '../_test/gpt2Checkpoint.js';
import type { Gpt2Checkpoint } from '../_test/gpt2Checkpoint.js';
import { runTessera } from '../_test/runTessera.js';
import { exitCodes } from '../exitCodes.js';
import { commands } from './all.js';

type Sampled = { prompt: string; text: string; tokens: number[]; stopped: boolean; modelHash: string };

describe('tessera sample', () => {
  let fixture: Gpt2Checkpoint;
  let model: string;
  let hash: string;
  beforeAll(async () => {
    fixture = await writeGpt2Checkpoint({ prefix: 'tessera-sample-', window: 1, seed: 9n, initStd: 0.5 });
    ({ model, modelHash: hash } = fixture);
  });
  afterAll(() => fixture.cleanup());

  const sample = async (...flags: string[]) => {
    const result = await runTessera(commands, [
      'sample',
      '--model',
      model,
      '--prompt',
      'The jury',
      '--backend',
      'cpu',
      ...flags,
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(exitCodes.ok);
    return result.out;
  };

  it('prints the same continuation for the same seed, as text or JSON', async () => {
    const json = JSON.parse(await sample('--max-tokens', '8', '--seed', '5', '--json')) as Sampled;
    expect(json).toMatchObject({ prompt: 'The jury', modelHash: hash });
    expect(json.tokens.length).toBeLessThanOrEqual(8);
    expect(json.stopped || json.tokens.length === 8).toBe(true);
    expect(json.text).toBe(createGpt2Tokenizer().decode(json.tokens));
    expect(await sample('--max-tokens', '8', '--seed', '5')).toBe(`${json.text}\n`);
  });

  it('at temperature 0 prints what top-k 1 prints, whatever the seed', async () => {
    const greedy = await sample('--max-tokens', '6', '--temperature', '0', '--json');
    const top1 = await sample('--max-tokens', '6', '--top-k', '1', '--seed', '77', '--json');
    expect((JSON.parse(top1) as Sampled).tokens).toEqual((JSON.parse(greedy) as Sampled).tokens);
  });

  it('samples a model of the run preset with its trained BPE', async () => {
    const tiny = await writeTinyRun({ folder: fixture.folder });
    const result = await runTessera(commands, [
      'sample',
      '--model',
      tiny.model,
      '--run',
      tiny.run,
      '--cache-dir',
      testCacheDir,
      '--prompt',
      'The jury',
      '--max-tokens',
      '5',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(result.code).toBe(exitCodes.ok);
    expect((JSON.parse(result.out) as Sampled).tokens).toHaveLength(5);
  });

  it.each([
    ['a negative temperature', ['--temperature', '-1']],
    ['a fractional top-k', ['--top-k', '1.5']],
    ['too many tokens', ['--max-tokens', '70000']],
    ['no prompt', []],
  ])('is a usage error for %s', async (_, flags) => {
    const argv = ['sample', '--model', model, ...(flags.length === 0 ? [] : ['--prompt', 'x']), ...flags];
    expect((await runTessera(commands, argv)).code).toBe(exitCodes.usage);
  });
});
