import type { StrategyContext, Submission, TrainedUpdate } from '@tessera/miner';

/**
 * Compresses a shard-long delta with a copy of the error-feedback buffer and makes it the
 * submission, keeping the inner losses of the training it came from. For strategies that
 * change an honest pseudo-gradient before sending it.
 *
 * @example
 * return submitDelta({ context, delta: scaleDelta({ delta: update.delta, factor: 2 }), trained: update, note: 'scaled ×2' });
 */
export function submitDelta(parameters: {
  context: StrategyContext;
  delta: Float32Array;
  trained?: TrainedUpdate | undefined;
  note: string;
}): Submission {
  const { context, delta, trained, note } = parameters;
  const { compressed, errorFeedback } = context.compress(delta);
  return { bytes: context.encode(compressed), errorFeedback, compressed, losses: trained?.losses, note };
}
