import { keccak_256 } from '@noble/hashes/sha3.js';
import { DataError } from '../errors/data.js';

/** A deterministic stream of random integers from a 32-byte seed. */
export type KeccakStream = {
  /** The next 32-bit word, as an unsigned integer. */
  nextUint32(): number;
  /** A uniform integer in `[0, n)` for `1 <= n <= 2^32`, without modulo bias. */
  below(n: number): number;
};

/** Parameters of {@link createKeccakStream}. */
export type CreateKeccakStreamParameters = {
  /** 32 bytes, or `0x` and 64 hex digits. */
  seed: Uint8Array | `0x${string}`;
};

/**
 * Counter-mode keccak: block `i` is `keccak256(seed ‖ uint256(i))` (i = 0, 1, …), read as
 * eight big-endian 32-bit words in order. `below(n)` rejects words at or above the largest
 * multiple of `n` that fits in 32 bits, then takes the remainder, so every value is equally
 * likely. Anyone can replay the stream from the seed, in any language.
 *
 * @returns The stream.
 * @throws DataError `invalid-parameter` for a seed that is not 32 bytes.
 * @example
 * const stream = createKeccakStream({ seed: '0x' + '11'.repeat(32) });
 * stream.below(6); // a die roll
 */
export function createKeccakStream(parameters: CreateKeccakStreamParameters): KeccakStream {
  const seed = toBytes32(parameters.seed, 'seed');
  const input = new Uint8Array(64);
  input.set(seed, 0);
  const inputView = new DataView(input.buffer);
  let counter = 0;
  let block = new DataView(new ArrayBuffer(32));
  let word = 8;

  const nextUint32 = (): number => {
    if (word === 8) {
      // The counter is a uint256; 2^53 blocks are more than any caller will draw.
      inputView.setUint32(56, Math.floor(counter / 2 ** 32), false);
      inputView.setUint32(60, counter % 2 ** 32, false);
      counter += 1;
      const digest = keccak_256(input);
      block = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
      word = 0;
    }
    return block.getUint32(4 * word++, false);
  };

  return {
    nextUint32,
    below(n: number): number {
      if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 32) {
        throw new DataError('invalid-parameter', 'Range must be an integer from 1 to 2^32.', {
          details: `n: ${n}`,
        });
      }
      const limit = 2 ** 32 - (2 ** 32 % n);
      for (;;) {
        const x = nextUint32();
        if (x < limit) return x % n;
      }
    },
  };
}

/**
 * 32 bytes from a Uint8Array or a `0x` hex string of 64 digits.
 * @internal
 */
export function toBytes32(value: Uint8Array | string, name: string): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length === 32) return value;
  } else if (typeof value === 'string' && /^0x[0-9a-fA-F]{64}$/.test(value)) {
    const bytes = new Uint8Array(32);
    for (let i = 0; i < 32; i++) bytes[i] = parseInt(value.slice(2 + 2 * i, 4 + 2 * i), 16);
    return bytes;
  }
  throw new DataError('invalid-parameter', `${name} must be 32 bytes (0x and 64 hex digits).`, {
    details: `${name}: ${value instanceof Uint8Array ? `${value.length} bytes` : String(value).slice(0, 80)}`,
  });
}
