import { checkRunTiming, getModelPreset, selectBackend } from '@tessera/core';
import type {
  BackendName,
  Corpus,
  Hyperparameters,
  Logger,
  ModelConfig,
  SelectedBackend,
  StoreRouter,
  SubnetChain,
} from '@tessera/core';
import { readRunConfig } from '../runConfig/readRunConfig.js';
import { checkRunConfigOnChain } from './checkRunConfigOnChain.js';
import { openRunCorpus } from './openRunCorpus.js';

/** Everything a role needs from the run config, loaded and checked. */
export type RunContext = {
  hyperparameters: Hyperparameters;
  modelConfig: ModelConfig;
  corpus: Corpus;
  backend: SelectedBackend;
};

/** Parameters of {@link loadRunContext}. */
export type LoadRunContextParameters = {
  /** Path of the run config JSON. */
  run: string;
  /** Compared with the run config's timing and hash; a mismatch is an error. */
  chain?: SubnetChain | undefined;
  /** The EVM deployment file; its `runConfig`, when it has one, names the fields a mismatch differs in. */
  deployment?: string | undefined;
  /** The role's cache folder: the Brown Corpus's tokenizer, or the run dataset's verified files. */
  cacheDir: string;
  /**
   * Reads the run dataset's mirrors (give it the role's S3 readers for `s3://` mirrors).
   * @default file and HTTP(S) URIs, private addresses allowed
   */
  router?: StoreRouter | undefined;
  /** The role's own mirrors of the run dataset (`--dataset-mirrors`), tried before the run config's. */
  datasetMirrors?: readonly string[] | undefined;
  /** Stops fetching a dataset. */
  signal?: AbortSignal | undefined;
  backend: BackendName | 'auto';
  logger: Logger;
};

/**
 * Reads the run config every participant shares, checks its timing against the chain,
 * selects the TensorFlow.js backend (logging the choice) and loads the corpus: the dataset
 * the run config names (from its mirrors, through `router`, cached under `cacheDir`), else
 * the Brown Corpus.
 *
 * @throws BaseError when the file is unreadable, TimingMismatchError when the chain's timing
 *   differs, RunConfigMismatchError when the chain records another run config's hash; the hyperparameters' own errors list every bad field, and a model preset whose
 *   vocabulary is not the dataset tokenizer's is one (HyperparametersError); DatasetError
 *   when no mirror serves the dataset.
 */
export async function loadRunContext(parameters: LoadRunContextParameters): Promise<RunContext> {
  const { logger } = parameters;
  const hyperparameters = await readRunConfig({ path: parameters.run });
  const modelConfig = getModelPreset({ name: hyperparameters.modelPreset });
  if (parameters.chain) {
    checkRunTiming({ hyperparameters, timing: await parameters.chain.timing() });
    await checkRunConfigOnChain({
      hyperparameters,
      chain: parameters.chain,
      deployment: parameters.deployment,
      logger,
    });
  }
  const backend = await selectBackend({
    ...(parameters.backend === 'auto' ? {} : { preferred: parameters.backend }),
    logger,
  });
  const corpus = await openRunCorpus({
    hyperparameters,
    modelConfig,
    cacheDir: parameters.cacheDir,
    router: parameters.router,
    datasetMirrors: parameters.datasetMirrors,
    signal: parameters.signal,
    logger,
  });
  return { hyperparameters, modelConfig, corpus, backend };
}
