import type { Corpus } from './createCorpus.js';
import { buildBatches } from './buildBatches.js';
import type { TokenBatch } from './buildBatches.js';

/** Parameters of {@link heldOutBatches}. */
export type HeldOutBatchesParameters = {
  corpus: Corpus;
  /** The first this many held-out pages (fewer when the split is smaller). */
  pages: number;
  batchSize: number;
};

/**
 * The first `pages` pages of the held-out split, cut into batches: the same pages for every
 * model, so losses measured on them form a training curve (the one the REST API and its
 * dashboard show). Build them once and measure each model with `meanLoss`.
 *
 * @example
 * const batches = heldOutBatches({ corpus, pages: 16, batchSize: 16 });
 * setParameters({ model, parameters: theta });
 * const loss = await meanLoss({ model, batches });
 */
export function heldOutBatches(parameters: HeldOutBatchesParameters): TokenBatch[] {
  const { corpus, batchSize } = parameters;
  const count = Math.min(parameters.pages, corpus.heldOutPageCount);
  const pages = Array.from({ length: count }, (_, i) => corpus.getHeldOutPage(i));
  return buildBatches({ pages, batchSize });
}
