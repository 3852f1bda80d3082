import { tamperBytes } from './tamperBytes.js';
import type { Strategy } from '@tessera/miner';

/**
 * Trains honestly and commits the honest update's digest, but uploads other bytes (the
 * update with one bit flipped). Validators must reject it `digest-mismatch`.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: digestMismatch });
 */
export const digestMismatch: Strategy = async (context) => {
  const update = await context.train();
  return {
    bytes: tamperBytes(update.bytes),
    digest: update.digest,
    losses: update.losses,
    note: 'uploaded bytes differ from the digest',
  };
};
