import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createGpt2Tokenizer,
  hyperparameterPresets,
  initParameters,
  modelPresets,
  parseModelConfig,
  saveCheckpoint,
} from '@tessera/core';

/** The corpus and tokenizer cache the packages' tests share, so the tiny preset's BPE is trained once. */
export const testCacheDir = join(tmpdir(), 'tessera-test-cache');

/** A temp folder holding a checkpoint of a small model over GPT-2's vocabulary. */
export type Gpt2Checkpoint = {
  folder: string;
  /** The checkpoint file, `w<window>.ckpt` in `folder`. */
  model: string;
  modelHash: string;
  /** Removes the folder with everything inside. */
  cleanup: () => Promise<void>;
};

/**
 * Makes a temp folder and writes into it a checkpoint of a small model (named `test-gpt2`,
 * 4 wide, one layer) over GPT-2's vocabulary, so no BPE has to be trained.
 *
 * @param parameters.initStd - the standard deviation of the random parameters.
 * @example
 * const fixture = await writeGpt2Checkpoint({ prefix: 'tessera-export-', window: 3, seed: 1n, initStd: 0.02 });
 * afterEach(() => fixture.cleanup());
 */
export async function writeGpt2Checkpoint(parameters: {
  prefix: string;
  window: number;
  seed: bigint;
  initStd: number;
}): Promise<Gpt2Checkpoint> {
  const { window, seed } = parameters;
  const config = parseModelConfig({
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
      initStd: parameters.initStd,
    },
  });
  const folder = await mkdtemp(join(tmpdir(), parameters.prefix));
  const model = join(folder, `w${window}.ckpt`);
  const { modelHash } = await saveCheckpoint({
    path: model,
    config,
    window,
    parameters: initParameters({ config, seed }),
  });
  return { folder, model, modelHash, cleanup: () => rm(folder, { recursive: true, force: true }) };
}

/**
 * Writes into `folder` a run config of the tiny preset (`run.json`) and a checkpoint of its
 * model (`tiny.ckpt`), whose tokenizer is the run's trained BPE.
 *
 * @returns The two paths.
 * @example
 * const { model, run } = await writeTinyRun({ folder });
 */
export async function writeTinyRun(parameters: { folder: string }): Promise<{ model: string; run: string }> {
  const config = modelPresets.tiny;
  const model = join(parameters.folder, 'tiny.ckpt');
  await saveCheckpoint({ path: model, config, window: 0, parameters: initParameters({ config, seed: 2n }) });
  const run = join(parameters.folder, 'run.json');
  await writeFile(run, JSON.stringify(hyperparameterPresets.tiny));
  return { model, run };
}
