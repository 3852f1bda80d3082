import { randomBytes } from 'node:crypto';

/** A fast source of random numbers for the strategies; not for keys or secrets. */
export type Random = {
  /** A uniform draw in [0, 1) with 32 bits. */
  next(): number;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
};

/**
 * Creates a xoshiro128** generator seeded from 16 bytes: the operating system's randomness
 * by default, or `seed` for reproducible tests.
 *
 * @example
 * const random = createRandom();
 * const coin = random.next() < 0.5;
 */
export function createRandom(parameters: { seed?: Uint8Array | undefined } = {}): Random {
  const seed = parameters.seed ?? randomBytes(16);
  const words = new Uint32Array(4);
  for (let i = 0; i < 16; i++)
    words[i >> 2] = (words[i >> 2]! | ((seed[i % seed.length] ?? 0) << (8 * (i & 3)))) >>> 0;
  let [a, b, c, d] = words as unknown as [number, number, number, number];
  if ((a | b | c | d) === 0) a = 1;
  const nextUint32 = () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next: () => nextUint32() / 4294967296,
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 4) {
        const word = nextUint32();
        for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
      }
      return out;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
