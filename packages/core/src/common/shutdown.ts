import { setMaxListeners } from 'node:events';
/** Cleanup run when a service stops; awaited in reverse order of registration. */
export type Cleanup = () => unknown | Promise<unknown>;

/** An AbortController with cleanup callbacks, shared by every long-lived service of a process. */
export type Shutdown = {
  /** Aborted when shutdown starts; pass it to loops, fetches and sleeps. */
  readonly signal: AbortSignal;
  /** True once shutdown has started. */
  readonly isKilled: boolean;
  /** Registers a cleanup. */
  add(cleanup: Cleanup): void;
  /** Aborts the signal and runs every cleanup once, last registered first. */
  kill(): Promise<void>;
};

/**
 * Creates the process-wide shutdown handle.
 *
 * @example
 * const shutdown = createShutdown();
 * shutdown.add(() => server.close());
 * process.once('SIGINT', () => void shutdown.kill());
 */
export function createShutdown(): Shutdown {
  const controller = new AbortController();
  // One signal is shared by every wait of every role in the process (a devnet runs dozens),
  // so the default warning at 10 listeners would only be noise.
  setMaxListeners(0, controller.signal);
  const cleanups: Cleanup[] = [];
  let killing: Promise<void> | undefined;
  return {
    get signal() {
      return controller.signal;
    },
    get isKilled() {
      return controller.signal.aborted;
    },
    add(cleanup) {
      cleanups.push(cleanup);
    },
    kill() {
      killing ??= (async () => {
        controller.abort();
        for (const cleanup of cleanups.reverse()) {
          try {
            await cleanup();
          } catch {
            // A failing cleanup must not stop the others.
          }
        }
      })();
      return killing;
    },
  };
}

/** Resolves after `ms`, or rejects when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
