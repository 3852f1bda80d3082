import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** Parameters of {@link modelHash}. */
export type ModelHashParameters = {
  /** A flat parameter vector in the order of `parameterLayout`. */
  parameters: Float32Array;
};

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Hashes a flat parameter vector: keccak256 over its float32 values as little-endian
 * bytes, in order. Two machines hold the same model exactly when their hashes agree. Pure:
 * no TensorFlow.js.
 *
 * @returns `0x` followed by 64 lowercase hex digits.
 * @example
 * modelHash({ parameters: getParameters({ model }) }); // '0x5c1f…'
 */
export function modelHash(parameters: ModelHashParameters): `0x${string}` {
  const { parameters: flat } = parameters;
  return `0x${bytesToHex(keccak_256(float32LittleEndianBytes(flat)))}`;
}

/**
 * The little-endian bytes of a Float32Array: a view on little-endian machines, a copy on
 * big-endian ones.
 * @internal
 */
export function float32LittleEndianBytes(flat: Float32Array): Uint8Array {
  if (littleEndian) return new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength);
  const bytes = new Uint8Array(flat.length * 4);
  const view = new DataView(bytes.buffer);
  flat.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

/**
 * Reads little-endian float32 bytes into a fresh, aligned Float32Array.
 * @internal
 */
export function float32FromLittleEndianBytes(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0)
    throw new RangeError(`${bytes.length} bytes is not a whole number of float32 values`);
  if (littleEndian) {
    // Copy into a fresh buffer (a Buffer's slice() would share the original memory).
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    return new Float32Array(copy.buffer);
  }
  const flat = new Float32Array(bytes.length / 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < flat.length; i++) flat[i] = view.getFloat32(i * 4, true);
  return flat;
}
