import { NonRetryableStorageError } from '../errors/storage.js';

/**
 * Checks the byte cap and time limit of a read before any I/O happens.
 *
 * @throws NonRetryableStorageError with reason `invalid-parameter`.
 * @example
 * assertReadLimits({ maxBytes: 1 << 20, timeoutMs: 5000 });
 */
export function assertReadLimits(parameters: { maxBytes: unknown; timeoutMs: unknown }): void {
  const { maxBytes, timeoutMs } = parameters;
  if (typeof maxBytes !== 'number' || !Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new NonRetryableStorageError('invalid-parameter', 'maxBytes must be a non-negative safe integer.', {
      details: `got ${String(maxBytes)}`,
    });
  }
  if (
    typeof timeoutMs !== 'number' ||
    !Number.isFinite(timeoutMs) ||
    timeoutMs <= 0 ||
    timeoutMs > 2_147_483_647
  ) {
    throw new NonRetryableStorageError(
      'invalid-parameter',
      'timeoutMs must be a positive number of milliseconds.',
      {
        details: `got ${String(timeoutMs)} (at most 2147483647)`,
      },
    );
  }
}
