import { NonRetryableStorageError } from '../errors/storage.js';

/** Longest key accepted, in characters. */
export const maxStoreKeyLength = 256;

const segmentPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Checks that `key` is a safe relative object name, the same rule for every store.
 *
 * A key is 1 to 8 segments joined by `/`; each segment starts with a letter or digit and
 * holds only letters, digits, `.`, `_` and `-`. So `..`, absolute paths, backslashes,
 * hidden names and empty segments are all refused, and a key can never leave a store's root.
 *
 * @throws NonRetryableStorageError with reason `bad-key`.
 * @example
 * assertStoreKey({ key: 'w000042/uid-7.tsu' }); // ok
 * assertStoreKey({ key: '../etc/passwd' }); // throws
 */
export function assertStoreKey(parameters: { key: unknown }): asserts parameters is { key: string } {
  const { key } = parameters;
  const fail = (details: string): never => {
    throw new NonRetryableStorageError('bad-key', 'Invalid store key.', {
      target: typeof key === 'string' ? JSON.stringify(key) : undefined,
      details,
      hint: 'Use 1 to 8 segments joined by "/", each starting with a letter or digit and holding only [A-Za-z0-9._-].',
    });
  };
  if (typeof key !== 'string') return fail(`expected a string, got ${typeof key}`);
  if (key.length === 0) return fail('the key is empty');
  if (key.length > maxStoreKeyLength) return fail(`${key.length} characters > ${maxStoreKeyLength}`);
  const segments = key.split('/');
  if (segments.length > 8) return fail(`${segments.length} segments > 8`);
  for (const segment of segments) {
    if (!segmentPattern.test(segment)) return fail(`bad segment ${JSON.stringify(segment)}`);
  }
}
