import { scaleDelta } from './scaleDelta.js';
import { submitDelta } from './submitDelta.js';
import type { Strategy } from '@tessera/miner';

/**
 * Trains on its assigned pages and as many pages of the public held-out split, mixed in
 * the same batches, so the proof of assignment still passes while the update also fits the
 * data the model's loss is reported on; then multiplies the result by `factor`. No score
 * may use the public held-out split, so the extra pages buy nothing and dilute its training.
 *
 * @example
 * const both = heldOutMix(2.9);
 */
export function heldOutMix(factor: number): Strategy {
  return async (context) => {
    const count = context.assignment.pages.length;
    const heldOutPages = Array.from({ length: count }, (_, i) => i);
    const update = await context.train({ heldOutPages });
    return submitDelta({
      context,
      delta: factor === 1 ? update.delta : scaleDelta({ delta: update.delta, factor }),
      trained: update,
      note: `trained ${count} held-out pages too${factor === 1 ? '' : `, scaled ×${factor}`}`,
    });
  };
}
