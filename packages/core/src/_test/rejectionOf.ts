import { isChainError } from '../errors/chain.js';

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

/**
 * The ChainError reason `promise` rejects with: `'no error'` when it resolves, and `not a
 * ChainError: …` for any other rejection, so a test's expectation names what went wrong.
 *
 * @example
 * expect(await reasonOf(chain.registerMiner())).toBe('already-registered');
 */
export async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isChainError(error) ? error.reason : `not a ChainError: ${String(error)}`;
  }
  return 'no error';
}
