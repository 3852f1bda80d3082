/**
 * Awaits `promise` and returns what it rejected with; fails the test if it resolved.
 *
 * @example
 * const error = await rejectionOf(store.get({ uri, maxBytes: 1, timeoutMs: 1000 }));
 * expect(error).toMatchObject({ reason: 'too-large' });
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
