import { createShutdown } from '@tessera/core';
import type { Logger, Shutdown } from '@tessera/core';

/** A shutdown that Ctrl-C (or SIGTERM) triggers, for long scripts. */
export function processShutdownForScript(logger: Logger): Shutdown {
  const shutdown = createShutdown();
  const stop = () => {
    logger.warn('stopping');
    void shutdown.kill();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return shutdown;
}
