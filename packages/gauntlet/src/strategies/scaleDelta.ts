/**
 * Multiplies a pseudo-gradient by `factor`, rounding each entry to float32.
 *
 * @returns A fresh Float32Array.
 * @example
 * const loud = scaleDelta({ delta, factor: 8 });
 */
export function scaleDelta(parameters: { delta: Float32Array; factor: number }): Float32Array {
  const { delta, factor } = parameters;
  return Float32Array.from(delta, (value) => value * factor);
}
