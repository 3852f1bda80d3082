import { BaseError, NonRetryableError, RetryableError, isRetryable } from './base.js';

describe('BaseError', () => {
  it('puts details and hint under the short message', () => {
    const error = new BaseError('Update too large.', { details: '10 > 5', hint: 'Raise the cap.' });
    expect(error.shortMessage).toBe('Update too large.');
    expect(error.message).toBe('Update too large.\n\nDetails: 10 > 5\nHint: Raise the cap.');
  });

  it('tells retryable from non-retryable through the cause chain', () => {
    const rpc = new RetryableError('RPC timed out.');
    expect(isRetryable(new BaseError('Commit failed.', { cause: rpc }))).toBe(true);
    expect(isRetryable(new NonRetryableError('Bad digest.', { cause: rpc }))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });
});
