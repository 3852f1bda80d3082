import { keccak_256 } from '@noble/hashes/sha3.js';
import { createRandom } from '../common/createRandom.js';
import { ModelError } from '../errors/model.js';
import type { ModelConfig } from './modelConfig.js';
import { parameterLayout } from './parameterLayout.js';
import type { ParameterInit } from './parameterLayout.js';

/** Parameters of {@link initParameters}. */
export type InitParametersParameters = {
  config: ModelConfig;
  /** The run's model seed: a non-negative integer below 2^256. */
  seed: bigint | number;
};

/** `sqrt(3)`, written out so that no machine's `Math.sqrt` is involved. */
const sqrt3 = 1.7320508075688772;

/**
 * Computes a model's initial parameters θ_0 from a seed, as a flat vector in the order of
 * {@link parameterLayout}, without TensorFlow.js.
 *
 * Every machine gets the same bits: each random tensor draws from its own xoshiro128**
 * generator ({@link createRandom}) whose state is the first 16 bytes of
 * `keccak256(uint256 seed ‖ utf8 name)`, and each value is the centred sum of four uniform
 * draws (Irwin–Hall, close to a normal) times `sqrt(3) * std`, using only additions and
 * multiplications, then rounded to float32. Gains start at one, biases at zero.
 *
 * @returns A fresh Float32Array of `parameterCount({ config })` values.
 * @throws ModelError `invalid-parameter` for a negative, fractional or oversized seed.
 * @example
 * const theta0 = initParameters({ config: modelPresets.tiny, seed: 1n });
 */
export function initParameters(parameters: InitParametersParameters): Float32Array {
  const { config } = parameters;
  const seedBytes = seedToBytes(parameters.seed);
  const specs = parameterLayout({ config });
  const last = specs[specs.length - 1];
  const out = new Float32Array(last === undefined ? 0 : last.offset + last.size);
  for (const spec of specs)
    fill(out.subarray(spec.offset, spec.offset + spec.size), spec.init, seedBytes, spec.name);
  return out;
}

function fill(target: Float32Array, init: ParameterInit, seed: Uint8Array, name: string): void {
  if (init.kind === 'ones') return void target.fill(1);
  if (init.kind === 'zeros') return void target.fill(0);
  const { nextUint32: next } = createRandom({
    seed: keccak_256(concat(seed, new TextEncoder().encode(name))),
  });
  const scale = sqrt3 * init.std;
  // A uniform draw in [0, 1) with 24 bits, exact in a double.
  const uniform = () => (next() >>> 8) / 16777216;
  for (let i = 0; i < target.length; i++) {
    const sum = uniform() + uniform() + uniform() + uniform() - 2;
    target[i] = sum * scale;
  }
}

function seedToBytes(seed: bigint | number): Uint8Array {
  const ok =
    typeof seed === 'bigint' ? seed >= 0n && seed < 1n << 256n : Number.isSafeInteger(seed) && seed >= 0;
  if (!ok) {
    throw new ModelError('invalid-parameter', 'Model seed must be a non-negative integer below 2^256.', {
      details: `seed: ${String(seed)}`,
    });
  }
  let value = BigInt(seed);
  const bytes = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    bytes[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
