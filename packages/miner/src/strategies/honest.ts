import type { Strategy } from './types.js';

/**
 * The honest miner: trains from θ_w on its assigned pages, sends its shard's compressed
 * pseudo-gradient with error feedback, and commits `modelHash(θ_w)`.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: honest });
 */
export const honest: Strategy = async (context) => {
  const update = await context.train();
  return {
    bytes: update.bytes,
    digest: update.digest,
    errorFeedback: update.errorFeedback,
    compressed: update.compressed,
    losses: update.losses,
  };
};
