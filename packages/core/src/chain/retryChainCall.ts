import type { Logger } from '../common/logger.js';
import { sleep } from '../common/shutdown.js';
import type { ChainError } from '../errors/chain.js';
import type { RetryOptions } from './types.js';

/** Parameters of {@link retryChainCall}. */
export type RetryChainCallParameters<T> = {
  /** What is being done, for messages: "read the metagraph". */
  action: string;
  run: () => Promise<T>;
  retry?: RetryOptions | undefined;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
  /** Which retryable errors to retry. @default every retryable reason but `aborted` */
  shouldRetry?: ((error: ChainError) => boolean) | undefined;
  /** Turns a thrown value into a ChainError: each backend passes its own (`toEvmChainError`, `toChainError`). */
  classify: (error: unknown, action: string) => ChainError;
};

/**
 * Runs `run`, retrying with exponential backoff and jitter while it fails with a retryable
 * {@link ChainError}; every failure is turned into a ChainError first, by the backend's own
 * classifier. Both chain backends use it.
 *
 * @returns What `run` returned.
 * @throws The last ChainError once attempts are spent, or at once when it is not retryable.
 * @example
 * const head = await retryChainCall({ action: 'read the head', run: () => provider.getBlockNumber(), classify: toEvmChainError });
 */
export async function retryChainCall<T>(parameters: RetryChainCallParameters<T>): Promise<T> {
  const attempts = Math.max(1, parameters.retry?.attempts ?? 4);
  const base = parameters.retry?.baseDelayMs ?? 500;
  const max = parameters.retry?.maxDelayMs ?? 8_000;
  const shouldRetry = parameters.shouldRetry ?? ((error: ChainError) => error.reason !== 'aborted');
  const { classify } = parameters;
  for (let attempt = 1; ; attempt++) {
    if (parameters.signal?.aborted)
      throw classify(parameters.signal.reason ?? abortError(), parameters.action);
    try {
      return await parameters.run();
    } catch (raw) {
      const error = classify(raw, parameters.action);
      if (!error.retryable || !shouldRetry(error) || attempt >= attempts) throw error;
      const delay = Math.min(max, base * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
      parameters.logger?.warn('chain call failed, retrying', {
        action: parameters.action,
        reason: error.reason,
        attempt,
        delayMs: Math.round(delay),
        error: error.details ?? error.shortMessage,
      });
      try {
        await sleep(delay, parameters.signal);
      } catch (aborted) {
        throw classify(aborted ?? abortError(), parameters.action);
      }
    }
  }
}

function abortError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}
