import { CodecParameterError } from '../errors/codec.js';
import { quantBitsValues } from './wireFormat.js';
import type { QuantBits } from './wireFormat.js';

/** Throws {@link CodecParameterError} unless `value` is an integer in `[min, max]`. Internal to codec/. */
export function assertInteger(
  name: string,
  value: unknown,
  min: number,
  max: number,
): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new CodecParameterError(name, `${name} must be an integer from ${min} to ${max}.`, {
      details: `got ${describe(value)}`,
    });
  }
}

/** Throws {@link CodecParameterError} unless `value` is 2, 8 or 32. */
export function assertBits(name: string, value: unknown): asserts value is QuantBits {
  if (!quantBitsValues.includes(value as QuantBits)) {
    throw new CodecParameterError(name, `${name} must be 2, 8 or 32.`, { details: `got ${describe(value)}` });
  }
}

/** Throws {@link CodecParameterError} unless `value` is a Float32Array of `length` entries. */
export function assertFloat32Array(
  name: string,
  value: unknown,
  length?: number,
): asserts value is Float32Array {
  if (!(value instanceof Float32Array)) {
    throw new CodecParameterError(name, `${name} must be a Float32Array.`, {
      details: `got ${describe(value)}`,
    });
  }
  if (length !== undefined && value.length !== length) {
    throw new CodecParameterError(name, `${name} must have ${length} entries.`, {
      details: `got ${value.length}`,
    });
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (value === null || value === undefined) return String(value);
  return (value as object).constructor?.name ?? typeof value;
}
