import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/** Parameters of {@link hashRunConfig} and {@link canonicalRunConfig}. */
export type HashRunConfigParameters = {
  /** The run's hyperparameters as {@link parseHyperparameters} returns them (defaults filled in). */
  hyperparameters: Hyperparameters;
};

/**
 * A run config as canonical JSON: object keys sorted at every level, no whitespace, arrays in
 * their order, numbers as JavaScript writes them. Two files that parse to the same
 * hyperparameters (keys in another order, defaults written out or left out) give the same text.
 *
 * @example
 * canonicalRunConfig({ hyperparameters: hyperparameterPresets.tiny }); // '{"aggregationSize":8,...}'
 */
export function canonicalRunConfig(parameters: HashRunConfigParameters): string {
  return canonicalJson(parameters.hyperparameters);
}

/**
 * The run config's hash: keccak256 of {@link canonicalRunConfig}, 0x-prefixed lower-case hex.
 * It is what a subnet records on chain (the EVM Subnet's `runConfigHash`) and what every role
 * compares its own run config with at start; `tessera init` prints it.
 *
 * @example
 * const hash = hashRunConfig({ hyperparameters: parseHyperparameters(JSON.parse(text)) });
 */
export function hashRunConfig(parameters: HashRunConfigParameters): `0x${string}` {
  const text = canonicalRunConfig(parameters);
  return `0x${bytesToHex(keccak_256(new TextEncoder().encode(text)))}`;
}

/**
 * Any JSON-like value as canonical JSON (see {@link canonicalRunConfig}).
 *
 * @internal
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`A run config holds a non-finite number: ${value}`);
  }
  return JSON.stringify(value);
}
