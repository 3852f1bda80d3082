import { createLogger } from '@tessera/core';
import type { Logger, LogLevel } from '@tessera/core';

let warningsLogger: Logger | undefined;

/**
 * The logger a command's `--log-level` and `--log-format` ask for. It also becomes the
 * process's sink for Node warnings (`process.emitWarning`, from any dependency): they are
 * logged as `warn` lines instead of printed raw to stderr, so `--log-format json` stays one
 * JSON object per line.
 */
export function loggerOf(
  options: { logLevel: LogLevel; logFormat: 'pretty' | 'json' },
  fields: Record<string, unknown> = {},
): Logger {
  const logger = createLogger({ level: options.logLevel, format: options.logFormat, fields });
  if (warningsLogger === undefined) {
    // Node prints warnings from a 'warning' listener of its own; this one replaces it.
    process.removeAllListeners('warning');
    process.on('warning', (warning) =>
      warningsLogger?.warn('node warning', { name: warning.name, warning: warning.message }),
    );
  }
  warningsLogger = logger;
  return logger;
}
