import { createShutdown } from '@tessera/core';
import type { Logger, Shutdown } from '@tessera/core';

/**
 * The process-wide shutdown of a long-running command: the first SIGINT or SIGTERM stops
 * the role gracefully, a second one exits at once.
 */
export function processShutdown(logger: Logger): Shutdown {
  const shutdown = createShutdown();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn('second signal, exiting now', { signal });
      process.exit(130);
    }
    logger.info('stopping', { signal });
    void shutdown.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  shutdown.add(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  return shutdown;
}
