import { ProtocolParameterError } from '../errors/protocol.js';

/** Throws {@link ProtocolParameterError} unless `value` is a safe integer ≥ `min`. Internal to protocol/. */
export function assertInteger(name: string, value: unknown, min: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new ProtocolParameterError(name, `${name} must be a safe integer ≥ ${min}.`, {
      details: `got ${String(value)}`,
    });
  }
}

/** Returns `value` if it is a safe integer, else throws: the result left the range a double counts exactly. */
export function safeResult(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new ProtocolParameterError(name, `${name} is past 2^53 − 1.`, { details: `got ${value}` });
  }
  return value;
}
