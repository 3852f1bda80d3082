import {
  HyperparametersError,
  createCorpus,
  createGpt2Tokenizer,
  modelPresets,
  openDatasetCorpus,
} from '@tessera/core';
import type { Corpus, Hyperparameters, Logger, ModelConfig, StoreRouter } from '@tessera/core';

/** Parameters of {@link openRunCorpus}. */
export type OpenRunCorpusParameters = {
  hyperparameters: Hyperparameters;
  /** The run's model preset; its vocabulary must be the corpus tokenizer's. */
  modelConfig: ModelConfig;
  /** The role's cache folder (`--cache-dir`): the Brown Corpus's tokenizer, a dataset's verified files. */
  cacheDir: string;
  /**
   * Reads the dataset's mirrors. @default file and HTTP(S), private addresses allowed (the
   * mirrors are the run's choice and every byte is checked against its digest)
   */
  router?: StoreRouter | undefined;
  /** The role's own mirrors of the dataset (a local copy), tried before the run config's. @default [] */
  datasetMirrors?: readonly string[] | undefined;
  signal?: AbortSignal | undefined;
  logger: Logger;
};

/**
 * The run's corpus: the dataset the run config names (`dataset`: a manifest digest and its
 * mirrors, tried after the role's own), else the embedded Brown Corpus with a tokenizer of the model's vocabulary.
 *
 * A dataset is tokenized with GPT-2's BPE, so the model preset must have GPT-2's vocabulary
 * (50257); a preset of another size is refused before anything is fetched.
 *
 * @returns The corpus, cut into the run's `pageTokens` pages.
 * @throws HyperparametersError when the dataset's tokenizer and the model preset's vocabulary
 *   differ; DatasetError when no mirror serves the dataset.
 * @example
 * const corpus = await openRunCorpus({ hyperparameters, modelConfig, cacheDir: options.cacheDir, logger });
 */
export async function openRunCorpus(parameters: OpenRunCorpusParameters): Promise<Corpus> {
  const { hyperparameters, modelConfig, cacheDir, logger } = parameters;
  const { dataset, pageTokens } = hyperparameters;
  if (dataset === undefined) {
    return createCorpus({ vocabSize: modelConfig.vocabSize, pageTokens, cacheDir, logger });
  }
  checkDatasetVocab({ hyperparameters, modelConfig, vocabSize: createGpt2Tokenizer().vocabSize });
  const corpus = await openDatasetCorpus({
    manifest: dataset.manifest,
    mirrors: [...new Set([...(parameters.datasetMirrors ?? []), ...(dataset.mirrors ?? [])])],
    pageTokens,
    cacheDir,
    router: parameters.router,
    signal: parameters.signal,
    logger,
  });
  checkDatasetVocab({ hyperparameters, modelConfig, vocabSize: corpus.tokenizer.vocabSize });
  return corpus;
}

/** Refuses a model preset whose vocabulary is not the dataset tokenizer's. */
function checkDatasetVocab(parameters: {
  hyperparameters: Hyperparameters;
  modelConfig: ModelConfig;
  vocabSize: number;
}): void {
  const { hyperparameters, modelConfig, vocabSize } = parameters;
  if (modelConfig.vocabSize === vocabSize) return;
  const fitting = Object.values(modelPresets)
    .filter((preset) => preset.vocabSize === vocabSize)
    .map((preset) => preset.name);
  throw new HyperparametersError([
    {
      path: '/modelPreset',
      message:
        `Expected a model preset with the dataset tokenizer's vocabulary (GPT-2 BPE, ${vocabSize} tokens); ` +
        `${hyperparameters.modelPreset} has ${modelConfig.vocabSize}. ` +
        (fitting.length > 0
          ? `Presets that fit: ${fitting.join(', ')}.`
          : `No preset has ${vocabSize} tokens yet, so a dataset cannot be trained until one is added (docs/datasets.md); leave dataset out to train on the Brown Corpus.`),
      value: hyperparameters.modelPreset,
    },
  ]);
}
