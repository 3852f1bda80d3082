import { scaleDelta } from './scaleDelta.js';
import type { Strategy } from './types.js';

/**
 * Trains honestly, then sends its pseudo-gradient multiplied by `options.scaleFactor`,
 * hoping a louder update moves the model more. Applied with η_outer it overshoots, so it
 * must score no better than the honest update, and worse when the factor is large.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: scaled, strategyOptions: { scaleFactor: 8 } });
 */
export const scaled: Strategy = async (context) => {
  const update = await context.train();
  const { compressed, errorFeedback } = context.compress(
    scaleDelta({ delta: update.delta, factor: context.options.scaleFactor }),
  );
  return {
    bytes: context.encode(compressed),
    errorFeedback,
    compressed,
    losses: update.losses,
    note: `scaled ×${context.options.scaleFactor}`,
  };
};
