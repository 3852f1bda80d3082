import { NonRetryableStorageError, RetryableStorageError } from '@tessera/core';
import type { StorageReason } from '@tessera/core';
import { missingReason } from './missingReason.js';
import type { MissingReason } from './missingReason.js';

const cases: [StorageReason, MissingReason][] = [
  ['timeout', 'timeout'],
  ['too-large', 'too-large'],
  ['not-found', 'not-found'],
  ['connection', 'unreachable'],
  ['server-error', 'unreachable'],
  ['io', 'unreachable'],
  ['tls', 'unreachable'],
  ['bad-response', 'unreachable'],
  ['bad-uri', 'refused'],
  ['unsupported-scheme', 'refused'],
  ['blocked-address', 'refused'],
  ['redirect', 'refused'],
  ['rejected', 'refused'],
];

describe('missingReason', () => {
  it.each(cases)('storage reason %s is missing:%s', (storage, expected) => {
    const retryable = ['timeout', 'connection', 'server-error', 'io', 'aborted'].includes(storage);
    const error = retryable
      ? new RetryableStorageError(storage as 'timeout', 'x')
      : new NonRetryableStorageError(storage as 'not-found', 'x');
    expect(missingReason({ error })).toBe(expected);
  });

  it('calls an error from outside the stores unreachable', () => {
    expect(missingReason({ error: new Error('socket hang up') })).toBe('unreachable');
    expect(missingReason({ error: 'odd' })).toBe('unreachable');
  });
});
