import { isRetryable } from '@tessera/errors';
import { sleep } from '../common/shutdown.js';
import type { StoreRouter } from '../storage/createStoreRouter.js';

/** Parameters of {@link downloadWithRetry}. */
export type DownloadWithRetryParameters = {
  router: Pick<StoreRouter, 'get'>;
  uri: string;
  maxBytes: number;
  timeoutMs: number;
  /** Tries in all, the first included. */
  attempts: number;
  /** Delay before the second try; doubles after each. */
  backoffMs: number;
  signal?: AbortSignal | undefined;
};

/**
 * Reads a URI, trying again after retryable store errors (timeouts, refused connections,
 * 5xx) with a doubling delay. Non-retryable errors and the last retryable one are thrown as
 * they are. Internal to sync/.
 */
export async function downloadWithRetry(parameters: DownloadWithRetryParameters): Promise<Uint8Array> {
  const { router, uri, maxBytes, timeoutMs, attempts, backoffMs, signal } = parameters;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await router.get({ uri, maxBytes, timeoutMs, signal });
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error) || signal?.aborted) throw error;
      await sleep(backoffMs * 2 ** (attempt - 1), signal);
    }
  }
}
