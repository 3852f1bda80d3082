import { buildBatches, evaluateLoss, setParameters } from '@tessera/core';
import type { Corpus, Model } from '@tessera/core';

/** Parameters of {@link measureHeldOutLoss}. */
export type MeasureHeldOutLossParameters = {
  /** Overwritten with `parameters`. */
  model: Model;
  parameters: Float32Array;
  corpus: Corpus;
  /** The first this many held-out pages (fewer when the split is smaller). */
  pages: number;
  batchSize: number;
};

/**
 * The mean next-token loss of a model on the first `pages` pages of the held-out split, in
 * nats per token: the same pages every window, so the numbers form a training curve (the
 * one the REST API and its dashboard show).
 *
 * @example
 * const loss = await measureHeldOutLoss({ model, parameters: sync.parameters, corpus, pages: 16, batchSize: 16 });
 */
export async function measureHeldOutLoss(parameters: MeasureHeldOutLossParameters): Promise<number> {
  const { model, corpus, batchSize } = parameters;
  const count = Math.min(parameters.pages, corpus.heldOutPageCount);
  const pages = Array.from({ length: count }, (_, i) => corpus.getHeldOutPage(i));
  setParameters({ model, parameters: parameters.parameters });
  let sum = 0;
  let rows = 0;
  for (const batch of buildBatches({ pages, batchSize })) {
    sum += (await evaluateLoss({ model, batch })) * batch.batchSize;
    rows += batch.batchSize;
  }
  return sum / rows;
}
