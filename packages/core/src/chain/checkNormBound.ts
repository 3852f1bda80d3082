import { NonRetryableChainError } from '../errors/chain.js';

/**
 * Checks an aggregate's norm bound before it is published: a positive, finite number that is
 * exactly a float32 value (`Math.fround(x) === x`), since both chains store its 32 bits.
 *
 * @returns The value itself.
 * @throws NonRetryableChainError `invalid-parameter` naming `name`.
 * @example
 * const bound = checkNormBound(Math.fround(1.25), 'normBound');
 */
export function checkNormBound(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || Math.fround(value) !== value) {
    throw new NonRetryableChainError(
      'invalid-parameter',
      `${name} must be a positive, finite float32 value (pass it through Math.fround).`,
      { details: String(value) },
    );
  }
  return value;
}

/** The IEEE-754 float32 bits of `value` (a float32 value; see {@link checkNormBound}). */
export function float32ToBits(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0);
}

/** The float32 value whose IEEE-754 bits are `bits` (an unsigned 32-bit integer). */
export function float32FromBits(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits);
  return view.getFloat32(0);
}
