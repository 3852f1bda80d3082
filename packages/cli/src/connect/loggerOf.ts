import { createLogger } from '@tessera/core';
import type { Logger, LogLevel } from '@tessera/core';

/** The logger a command's `--log-level` and `--log-format` ask for. */
export function loggerOf(
  options: { logLevel: LogLevel; logFormat: 'pretty' | 'json' },
  fields: Record<string, unknown> = {},
): Logger {
  return createLogger({ level: options.logLevel, format: options.logFormat, fields });
}
