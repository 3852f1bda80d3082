/** Parameters of {@link noiseDelta}. */
export type NoiseDeltaParameters = {
  length: number;
  /** Standard deviation of each entry. */
  std: number;
  /** Uniform draws in [0, 1). */
  random: () => number;
};

/**
 * A pseudo-gradient of independent normal entries (Box–Muller): what a miner that trains
 * nothing sends to look busy.
 *
 * @returns A fresh Float32Array of `length` finite values.
 * @example
 * const delta = noiseDelta({ length: range.length, std: 1e-3, random: Math.random });
 */
export function noiseDelta(parameters: NoiseDeltaParameters): Float32Array {
  const { length, std, random } = parameters;
  const delta = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    // 1 − u lies in (0, 1], so the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - random())) * std;
    const angle = 2 * Math.PI * random();
    delta[i] = radius * Math.cos(angle);
    if (i + 1 < length) delta[i + 1] = radius * Math.sin(angle);
  }
  return delta;
}
