/** A small seeded pseudo-random generator for property tests and fuzzing. Not for secrets. */
export type Prng = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n), n ≥ 1. */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** `n` random bytes. */
  bytes(n: number): Uint8Array;
  /** A random element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
};

/**
 * Creates a deterministic generator (xoshiro128**, seeded through splitmix32): the same
 * seed gives the same sequence on every machine, so a failing case can be replayed.
 *
 * @example
 * const random = createPrng(42);
 * const delta = Float32Array.from({ length: 100 }, () => random.normal());
 */
export function createPrng(seed: number): Prng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix() | 1;
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
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    chance: (p) => next() < p,
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = nextUint32() & 0xff;
      return out;
    },
    pick: (items) => items[Math.floor(next() * items.length)]!,
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
