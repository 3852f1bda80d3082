import { format } from 'node:util';
import { createLogger } from '@tessera/core';
import type { Logger, LogLevel } from '@tessera/core';

let processSink: Logger | undefined;

/**
 * The logger a command's `--log-level` and `--log-format` ask for. It also becomes the
 * process's sink for what dependencies print: Node warnings (`process.emitWarning`, the AWS
 * SDK's) and `console.*` lines (@polkadot/api's connection notes) are logged as lines of
 * this logger, at the console method's level, instead of raw text on stderr or stdout, so
 * `--log-format json` stays one JSON object per line and stdout holds only results (Tessera
 * itself never writes to the console).
 */
export function loggerOf(
  options: { logLevel: LogLevel; logFormat: 'pretty' | 'json' },
  fields: Record<string, unknown> = {},
): Logger {
  const logger = createLogger({ level: options.logLevel, format: options.logFormat, fields });
  if (processSink === undefined) {
    // Node prints warnings from a 'warning' listener of its own; this one replaces it.
    process.removeAllListeners('warning');
    process.on('warning', (warning) =>
      processSink?.warn('node warning', { name: warning.name, warning: warning.message }),
    );
    const levels = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' } as const;
    for (const [method, level] of Object.entries(levels) as [
      keyof typeof levels,
      (typeof levels)[keyof typeof levels],
    ][]) {
      console[method] = (...args: unknown[]) => processSink?.[level]('console', { text: format(...args) });
    }
  }
  processSink = logger;
  return logger;
}
