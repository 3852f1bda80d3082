import { staleBase } from './staleBase.js';
import type { Strategy } from '@tessera/miner';

/**
 * Trains honestly but from a model other than θ_w (the previous window's, or a fork of
 * θ_w) and commits that model's hash. Validators must reject it `out-of-sync`.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: outOfSync });
 */
export const outOfSync: Strategy = async (context) => {
  const base = staleBase({
    parameters: context.parameters,
    stale: context.staleModel,
    hash: context.modelHash,
  });
  const update = await context.train({ base: base.parameters });
  return {
    bytes: update.bytes,
    modelHash: base.hash,
    losses: update.losses,
    note: `trained from ${base.hash.slice(0, 10)}`,
  };
};
