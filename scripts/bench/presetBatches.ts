import { assignWork, buildBatches, createCorpus, modelPresets } from '@tessera/core';
import type { ModelConfig, ModelPresetName } from '@tessera/core';

/**
 * A model preset's config and batches of its pages, as the train and presets benchmarks
 * train on them: the pages window 0 assigns uid 0 of run seed 1, full-context rows.
 *
 * @example
 * const { config, batches } = await presetBatches({ preset: 'small', pages: 32, batchSize: 8 });
 */
export async function presetBatches(parameters: {
  preset: ModelPresetName;
  /** Pages to assign, one row each. */
  pages: number;
  batchSize: number;
}): Promise<{ config: ModelConfig; batches: ReturnType<typeof buildBatches> }> {
  const config = modelPresets[parameters.preset];
  const corpus = await createCorpus({ vocabSize: config.vocabSize, pageTokens: config.contextLength });
  const { pages } = assignWork({
    runSeed: 1n,
    window: 0,
    uid: 0,
    blockHash: `0x${'00'.repeat(32)}`,
    trainPageCount: corpus.trainPageCount,
    pagesPerWindow: parameters.pages,
  });
  const batches = buildBatches({
    pages: pages.map((page) => corpus.getPage(page)),
    batchSize: parameters.batchSize,
  });
  return { config, batches };
}
