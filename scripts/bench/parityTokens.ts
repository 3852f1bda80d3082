import type { TokenBatch } from '@tessera/core';

/** Parameters of {@link trainedTokens}. */
export type TrainedTokensParameters = {
  /** The batches `trainInnerSteps` is given: step `s` trains on `batches[s % batches.length]`. */
  batches: readonly TokenBatch[];
  /** Steps taken. */
  steps: number;
};

/**
 * Training tokens `steps` inner steps see: each step predicts `rowLength − 1` next tokens in
 * each row of its batch (a page is `pageTokens` inputs plus the target after them), and
 * steps cycle through the batches as `trainInnerSteps` does. What the parity benchmark
 * counts to hold every run to the same number of tokens.
 *
 * @returns The token count.
 * @example
 * trainedTokens({ batches: buildBatches({ pages, batchSize: 8 }), steps: 8 }); // 4 pages of 64: 8 × 4 × 64 = 2048
 */
export function trainedTokens(parameters: TrainedTokensParameters): number {
  const { batches, steps } = parameters;
  if (steps > 0 && batches.length === 0) throw new Error('Steps without batches train on nothing.');
  let tokens = 0;
  for (let step = 0; step < steps; step++) {
    const batch = batches[step % batches.length]!;
    tokens += batch.batchSize * (batch.rowLength - 1);
  }
  return tokens;
}
