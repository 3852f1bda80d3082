import type { SparseUpdate } from '@tessera/core';

/** Parameters of {@link perturbCopy}. */
export type PerturbCopyParameters = {
  /** Another miner's decoded update (global indices). */
  update: SparseUpdate;
  /** First flat index of the shard it covers. */
  sourceOffset: number;
  /** Length of the shard the copy is for. */
  length: number;
  /** Relative size of the change to each value. */
  jitter: number;
  /** Uniform draws in [0, 1). */
  random: () => number;
};

/**
 * Lays another miner's update onto a shard of `length` entries at the same positions within
 * the shard, each value scaled by a random factor in `1 ± jitter`: a near copy whose digest
 * differs from the original's, so duplicate detection by digest alone misses it.
 *
 * @returns A dense delta of `length` entries, zero where the source kept nothing.
 * @example
 * const delta = perturbCopy({ update: decoded, sourceOffset: decoded.header.shardOffset, length: range.length, jitter: 1e-3, random });
 */
export function perturbCopy(parameters: PerturbCopyParameters): Float32Array {
  const { update, sourceOffset, length, jitter, random } = parameters;
  const delta = new Float32Array(length);
  for (let t = 0; t < update.indices.length; t++) {
    const position = update.indices[t]! - sourceOffset;
    if (position >= 0 && position < length)
      delta[position] = update.values[t]! * (1 + jitter * (2 * random() - 1));
  }
  return delta;
}
