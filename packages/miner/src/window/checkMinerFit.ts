import type { Corpus, Hyperparameters, ModelConfig } from '@tessera/core';
import { MinerError } from '../errors/miner.js';

/**
 * Refuses a model config, corpus and run config that do not fit together, and bad options.
 *
 * @throws MinerError `config-mismatch`, `invalid-parameter`, listing every problem.
 * @example
 * checkMinerFit({ config, corpus, h, marginBlocks: 2, downloadTimeoutMs: 30_000, pollMs: undefined });
 */
export function checkMinerFit(parameters: {
  config: ModelConfig;
  corpus: Corpus;
  h: Hyperparameters;
  marginBlocks: number;
  downloadTimeoutMs: number;
  pollMs: number | undefined;
}): void {
  const { config, corpus, h } = parameters;
  const problems: string[] = [];
  if (config.name !== h.modelPreset)
    problems.push(`model config "${config.name}" but the run uses preset "${h.modelPreset}"`);
  if (corpus.tokenizer.vocabSize !== config.vocabSize) {
    problems.push(`corpus vocabulary ${corpus.tokenizer.vocabSize}, model vocabulary ${config.vocabSize}`);
  }
  if (corpus.pageTokens !== h.pageTokens)
    problems.push(`corpus pages of ${corpus.pageTokens} tokens, run pages of ${h.pageTokens}`);
  if (h.pageTokens > config.contextLength)
    problems.push(`pages of ${h.pageTokens} tokens exceed the context of ${config.contextLength}`);
  if (h.pagesPerWindow > corpus.trainPageCount) {
    problems.push(`${h.pagesPerWindow} pages per window, the corpus has ${corpus.trainPageCount}`);
  }
  if (problems.length > 0) {
    throw new MinerError('config-mismatch', 'The model, the corpus and the run config do not fit together.', {
      metaMessages: problems.map((problem) => `  ${problem}`),
      hint: 'Build the model from the run config’s preset and the corpus with its pageTokens and the model’s vocabSize.',
    });
  }
  const bad: string[] = [];
  if (!Number.isSafeInteger(parameters.marginBlocks) || parameters.marginBlocks < 0)
    bad.push(`marginBlocks: ${parameters.marginBlocks}`);
  if (!Number.isSafeInteger(parameters.downloadTimeoutMs) || parameters.downloadTimeoutMs < 1) {
    bad.push(`downloadTimeoutMs: ${parameters.downloadTimeoutMs}`);
  }
  if (
    parameters.pollMs !== undefined &&
    !(Number.isSafeInteger(parameters.pollMs) && parameters.pollMs >= 1)
  ) {
    bad.push(`pollMs: ${parameters.pollMs}`);
  }
  if (bad.length > 0) {
    throw new MinerError('invalid-parameter', 'Invalid miner options.', {
      metaMessages: bad.map((line) => `  ${line}`),
    });
  }
}
