import { NonRetryableStorageError, RetryableStorageError } from '@tessera/core';
import { getOnceUploaded } from './getOnceUploaded.js';

const notFound = () =>
  new NonRetryableStorageError('not-found', 'No object at that location.', { target: 'x' });

/** A router whose get answers with `answers` in turn (an error is thrown), then the last again. */
function routerOf(answers: (Uint8Array | Error)[]) {
  const calls: number[] = [];
  return {
    calls,
    get: ({ timeoutMs }: { timeoutMs: number }) => {
      calls.push(timeoutMs);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)]!;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

describe('getOnceUploaded', () => {
  const signal = new AbortController().signal;
  const bytes = Uint8Array.of(7, 8, 9);

  it('looks again while the object is not there yet, within one budget', async () => {
    const router = routerOf([notFound(), notFound(), bytes]);
    expect(await getOnceUploaded({ router, uri: 'file:///u', maxBytes: 8, timeoutMs: 5000, signal })).toEqual(
      bytes,
    );
    expect(router.calls).toHaveLength(3);
    // Each look gets what is left of the budget, never more.
    expect(router.calls[2]!).toBeLessThan(router.calls[0]!);
  });

  it('gives up with not-found when the budget runs out', async () => {
    const router = routerOf([notFound()]);
    await expect(
      getOnceUploaded({ router, uri: 'file:///u', maxBytes: 8, timeoutMs: 600, signal }),
    ).rejects.toMatchObject({
      reason: 'not-found',
    });
    expect(router.calls.length).toBeGreaterThanOrEqual(2);
  });

  it('throws any other failure at once', async () => {
    const router = routerOf([new RetryableStorageError('timeout', 'Too slow.', { target: 'x' }), bytes]);
    await expect(
      getOnceUploaded({ router, uri: 'file:///u', maxBytes: 8, timeoutMs: 5000, signal }),
    ).rejects.toMatchObject({
      reason: 'timeout',
    });
    expect(router.calls).toHaveLength(1);
  });
});
