import { join } from 'node:path';
import { createCorpus, getModelPreset, silentLogger } from '@tessera/core';
import type { Hyperparameters } from '@tessera/core';
import { setupDevnetChain } from '../devnet/setupDevnetChain.js';
import type { DevnetChain } from '../devnet/setupDevnetChain.js';
import { repositoryRoot } from './roleProcesses.js';

/**
 * A devnet chain for a fault test: one validator and `miners` miners on 1 s blocks, the state
 * in `stateDir`, and the run's corpus tokenized first into the repository's cache, so roles
 * that start together all find it there.
 *
 * @returns The chain and the corpus cache folder to give the roles (`--cache-dir`).
 * @example
 * const { devnet, cacheDir } = await setupTestDevnet({ hyperparameters, miners: 2, stateDir });
 */
export async function setupTestDevnet(parameters: {
  hyperparameters: Hyperparameters;
  miners: number;
  stateDir: string;
}): Promise<{ devnet: DevnetChain; cacheDir: string }> {
  const { hyperparameters } = parameters;
  const cacheDir = join(repositoryRoot, '.tessera', 'cache');
  await createCorpus({
    vocabSize: getModelPreset({ name: hyperparameters.modelPreset }).vocabSize,
    pageTokens: hyperparameters.pageTokens,
    cacheDir,
    logger: silentLogger,
  });
  const devnet = await setupDevnetChain({
    hyperparameters,
    validators: 1,
    miners: parameters.miners,
    blockTime: 1,
    stateDir: parameters.stateDir,
    logger: silentLogger,
  });
  return { devnet, cacheDir };
}
