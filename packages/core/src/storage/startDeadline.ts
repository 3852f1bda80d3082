import { RetryableStorageError } from '../errors/storage.js';

/** A time limit joined with the caller's abort signal; see {@link startDeadline}. */
export type Deadline = {
  /** Aborts when the time limit passes or the caller's signal aborts. */
  readonly signal: AbortSignal;
  /** The error to throw now that `signal` has aborted: `timeout` or `aborted`, both retryable. */
  error(target: string, cause?: unknown): RetryableStorageError;
  /** Throws {@link Deadline.error} when `signal` has aborted. */
  check(target: string): void;
  /** Stops the timer; call it in `finally`. */
  clear(): void;
};

/**
 * Starts a deadline of `timeoutMs` that also follows `signal`, for one store operation.
 *
 * @example
 * const deadline = startDeadline({ timeoutMs: 5000, signal });
 * try { ... deadline.check(uri) ... } finally { deadline.clear(); }
 */
export function startDeadline(parameters: { timeoutMs: number; signal?: AbortSignal | undefined }): Deadline {
  const { timeoutMs, signal } = parameters;
  const timeout = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    timeout.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  // Joined with AbortSignal.any, which hangs no listener on the caller's signal: that one is
  // usually the process's shutdown signal, and every read in flight of every role would
  // otherwise add one to it (past Node's MaxListeners warning in a devnet).
  const joined = signal === undefined ? timeout.signal : AbortSignal.any([signal, timeout.signal]);

  const error = (target: string, cause?: unknown) =>
    timedOut
      ? new RetryableStorageError('timeout', 'Store operation timed out.', {
          target,
          details: `no answer within ${timeoutMs} ms`,
          cause,
        })
      : new RetryableStorageError('aborted', 'Store operation aborted.', {
          target,
          cause: cause ?? signal?.reason,
        });
  return {
    signal: joined,
    error,
    check(target) {
      if (joined.aborted) throw error(target);
    },
    clear() {
      clearTimeout(timer);
    },
  };
}
