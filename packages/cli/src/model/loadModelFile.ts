import { readFile } from 'node:fs/promises';
import {
  BaseError,
  createCorpus,
  createGpt2Tokenizer,
  createStoreRouter,
  decodeCheckpoint,
  getModelPreset,
  parameterCount,
} from '@tessera/core';
import { readRunConfig } from '../runConfig/readRunConfig.js';
import type { LoadedCheckpoint, Logger, ModelConfig, TextTokenizer } from '@tessera/core';

/** Parameters of {@link loadModelFile}: the values of `modelFileFields`. */
export type LoadModelFileParameters = {
  model: string;
  modelHash?: string | undefined;
  run?: string | undefined;
  tokenizer: 'auto' | 'bpe' | 'gpt2';
  cacheDir: string;
  logger: Logger;
};

/** A verified checkpoint and the tokenizer of its model. */
export type LoadedModelFile = {
  checkpoint: LoadedCheckpoint;
  tokenizer: TextTokenizer;
};

/** Largest checkpoint read when no run config names the model: about 1.5 G parameters. */
const maxModelBytes = 6 * 2 ** 30;
/** Time limit of a download. */
const downloadMs = 30 * 60_000;

/**
 * Reads a θ checkpoint from a path or a `file:`/`http(s):` URI, verifies it (its own hash
 * always; the caller's `modelHash` and the run's model preset when given) and finds the
 * tokenizer its model reads.
 *
 * @returns The checkpoint and the tokenizer, whose vocabulary is the model's.
 * @throws CheckpointError when the file is missing, malformed or not the expected model; the
 *   store's error for a failed download; BaseError for an unreadable run config or a
 *   tokenizer that does not fit the model.
 * @example
 * const { checkpoint, tokenizer } = await loadModelFile({ ...options, logger });
 */
export async function loadModelFile(parameters: LoadModelFileParameters): Promise<LoadedModelFile> {
  const { model, logger } = parameters;
  const run = parameters.run === undefined ? undefined : await readRun(parameters.run);
  const expected = {
    ...(parameters.modelHash === undefined ? {} : { modelHash: parameters.modelHash.toLowerCase() }),
    ...(run === undefined ? {} : { config: run.config }),
  };
  let bytes: Uint8Array;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(model)) {
    // The user names this URI, so private addresses and any file are theirs to read.
    const router = createStoreRouter({ file: {}, http: { blockPrivateAddresses: false } });
    const maxBytes =
      run === undefined ? maxModelBytes : parameterCount({ config: run.config }) * 4 + 64 * 1024 + 32;
    bytes = await router.get({ uri: model, maxBytes, timeoutMs: downloadMs });
  } else {
    try {
      bytes = await readFile(model);
    } catch (cause) {
      throw new BaseError(`Cannot read the model file ${model}.`, {
        cause,
        details: cause instanceof Error ? cause.message : String(cause),
        hint: 'Pass --model with a checkpoint path (a validator keeps them in its state folder) or its URI.',
      });
    }
  }
  const checkpoint = decodeCheckpoint({ bytes, expected, path: model });
  logger.info('model loaded', {
    config: checkpoint.config.name,
    window: checkpoint.window,
    modelHash: checkpoint.modelHash,
  });
  const kind =
    parameters.tokenizer !== 'auto'
      ? parameters.tokenizer
      : run?.dataset || checkpoint.config.vocabSize === createGpt2Tokenizer().vocabSize
        ? 'gpt2'
        : 'bpe';
  const tokenizer =
    kind === 'gpt2'
      ? createGpt2Tokenizer()
      : await bpeOf(
          checkpoint.config,
          run?.pageTokens ?? checkpoint.config.contextLength,
          parameters.cacheDir,
          logger,
        );
  if (tokenizer.vocabSize !== checkpoint.config.vocabSize) {
    throw new BaseError(`The ${kind} tokenizer does not fit this model.`, {
      details: `tokenizer ${tokenizer.vocabSize} tokens, model ${checkpoint.config.vocabSize}`,
      hint: 'Pass --tokenizer with the tokenizer of the run that trained the model.',
    });
  }
  return { checkpoint, tokenizer };
}

async function readRun(path: string): Promise<{ config: ModelConfig; pageTokens: number; dataset: boolean }> {
  const hyperparameters = await readRunConfig({ path });
  return {
    config: getModelPreset({ name: hyperparameters.modelPreset }),
    pageTokens: hyperparameters.pageTokens,
    dataset: hyperparameters.dataset !== undefined,
  };
}

async function bpeOf(
  config: ModelConfig,
  pageTokens: number,
  cacheDir: string,
  logger: Logger,
): Promise<TextTokenizer> {
  if (config.vocabSize < 256) {
    throw new BaseError('No byte-level BPE has fewer than 256 tokens.', {
      details: `model vocabulary ${config.vocabSize}`,
      hint: 'Pass --tokenizer gpt2 if the model reads GPT-2 tokens.',
    });
  }
  // The trained BPE of a vocabulary size is the same everywhere; the corpus cache holds it.
  const corpus = await createCorpus({ vocabSize: config.vocabSize, pageTokens, cacheDir, logger });
  return corpus.tokenizer;
}
