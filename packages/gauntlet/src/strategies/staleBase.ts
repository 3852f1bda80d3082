import { modelHash } from '@tessera/core';
import type { Hex32 } from '@tessera/core';

/** Parameters of {@link staleBase}. */
export type StaleBaseParameters = {
  /** θ_w. Not modified. */
  parameters: Float32Array;
  /** The model held one window before, if any. */
  stale: { parameters: Float32Array; hash: Hex32 } | undefined;
  /** `modelHash(θ_w)`. */
  hash: Hex32;
};

/**
 * A model other than θ_w to train from: the previous window's model when there is one that
 * differs, else θ_w with its first value nudged by 10^-3 (a fork of the run).
 *
 * @returns The parameters and their hash, never `hash`.
 * @example
 * const { parameters, hash } = staleBase({ parameters: theta, stale: undefined, hash: thetaHash });
 */
export function staleBase(parameters: StaleBaseParameters): { parameters: Float32Array; hash: Hex32 } {
  const { stale } = parameters;
  if (stale !== undefined && stale.hash !== parameters.hash) return stale;
  const forked = Float32Array.from(parameters.parameters);
  forked[0] = forked[0]! + 1e-3;
  return { parameters: forked, hash: modelHash({ parameters: forked }) };
}
