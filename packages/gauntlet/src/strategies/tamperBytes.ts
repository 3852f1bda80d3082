/**
 * A copy of `bytes` with the lowest bit of the last byte flipped: the same length, another
 * digest.
 *
 * @example
 * const other = tamperBytes(bytes); // digestUpdate(other) !== digestUpdate(bytes)
 */
export function tamperBytes(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  if (copy.length > 0) copy[copy.length - 1]! ^= 1;
  return copy;
}
