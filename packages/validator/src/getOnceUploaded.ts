import { NonRetryableStorageError, sleep } from '@tessera/core';
import type { StoreRouter } from '@tessera/core';

/** How often a download looks again for an update its miner has not uploaded yet. */
const notUploadedPollMs = 250;

/**
 * Reads an update within one time budget, looking again while the store has no object at
 * the URI: miners upload only once the deadline has passed (docs/protocol.md, "An update"),
 * so the first look, right after the deadline, may come before the upload. Any other
 * failure, and a not-found at the end of the budget, is thrown as it came.
 *
 * @example
 * const bytes = await getOnceUploaded({ router, uri, maxBytes, timeoutMs: 8000, signal });
 */
export async function getOnceUploaded(parameters: {
  router: Pick<StoreRouter, 'get'>;
  uri: string;
  maxBytes: number;
  timeoutMs: number;
  signal: AbortSignal;
}): Promise<Uint8Array> {
  const { router, uri, maxBytes, timeoutMs, signal } = parameters;
  const endsAt = performance.now() + timeoutMs;
  for (;;) {
    const left = Math.floor(endsAt - performance.now());
    try {
      return await router.get({ uri, maxBytes, timeoutMs: Math.max(1, left), signal });
    } catch (error) {
      const notYet = error instanceof NonRetryableStorageError && error.reason === 'not-found';
      if (!notYet || endsAt - performance.now() <= notUploadedPollMs) throw error;
      await sleep(notUploadedPollMs, signal);
    }
  }
}
