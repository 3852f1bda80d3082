import { randomBytes } from 'node:crypto';

/** A seeded pseudo-random generator (xoshiro128**). Fast and replayable; never for keys or secrets. */
export type Random = {
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** A uniform draw in [0, 1) with 32 bits. */
  next(): number;
  /** A uniform integer in [0, n), n ≥ 1. */
  int(n: number): number;
  /** A standard normal draw (Box–Muller). */
  normal(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** `length` random bytes, four from each 32-bit draw, little-endian. */
  bytes(length: number): Uint8Array;
  /** A random element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
};

/** Parameters of {@link createRandom}. */
export type CreateRandomParameters = {
  /**
   * Where the 128-bit state comes from: a number, spread through splitmix32 (tests and
   * benchmarks: the same number gives the same sequence on every machine); bytes, taken as
   * the state (four little-endian words from the first 16, repeated when fewer); or, when
   * left out, 16 bytes of the operating system's randomness.
   */
  seed?: number | Uint8Array | undefined;
};

/**
 * Creates a xoshiro128** generator: the one pseudo-random source of Tessera, for model
 * initialisation from a seed, the miner strategies' noise, property tests, fuzzing, the
 * API's simulated subnet and the benchmarks. Seeded from bytes it is the reference
 * xoshiro128** on that state, so model initialisation is the same on every machine.
 *
 * @example
 * const random = createRandom({ seed: 42 });
 * const delta = Float32Array.from({ length: 100 }, () => random.normal());
 */
export function createRandom(parameters: CreateRandomParameters = {}): Random {
  let [a, b, c, d] = initialState(parameters.seed ?? randomBytes(16));
  if ((a | b | c | d) === 0) a = 1; // the all-zero state never leaves zero
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
  const next = () => nextUint32() / 2 ** 32;
  return {
    nextUint32,
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    chance: (p) => next() < p,
    bytes(length) {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i += 4) {
        const word = nextUint32();
        for (let j = 0; j < 4 && i + j < length; j++) out[i + j] = (word >>> (8 * j)) & 0xff;
      }
      return out;
    },
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

function initialState(seed: number | Uint8Array): [number, number, number, number] {
  if (typeof seed === 'number') {
    let s = seed >>> 0;
    const splitmix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    return [splitmix(), splitmix(), splitmix(), splitmix() | 1];
  }
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 16; i++) {
    const byte = seed.length === 0 ? 0 : seed[i % seed.length]!;
    words[i >> 2] = (words[i >> 2]! | (byte << (8 * (i & 3)))) >>> 0;
  }
  return words;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
