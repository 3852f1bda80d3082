import { scaleDelta } from './scaleDelta.js';
import { submitDelta } from './submitDelta.js';
import type { Strategy } from '@tessera/miner';

/**
 * Trains honestly, then sends its pseudo-gradient multiplied by `factor`, hoping a louder
 * update moves the model more and scores higher. Validators score and aggregate every update
 * at a bounded norm, so it must earn no more than the honest update it started from.
 *
 * @example
 * const loud = scaledBy(8);
 */
export function scaledBy(factor: number): Strategy {
  return async (context) => {
    const update = await context.train();
    return submitDelta({
      context,
      delta: scaleDelta({ delta: update.delta, factor }),
      trained: update,
      note: `scaled ×${factor}`,
    });
  };
}

/**
 * {@link scaledBy} 8.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: scaled, strategyName: 'scaled' });
 */
export const scaled: Strategy = scaledBy(8);
