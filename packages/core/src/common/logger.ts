/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured logger: one JSON object per line, or a short human line. */
export type Logger = {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
};

/** Parameters of {@link createLogger}. */
export type CreateLoggerParameters = {
  /** Lowest level written. @default 'info' */
  level?: LogLevel | undefined;
  /** `json`: one object per line; `pretty`: `LEVEL message k=v`. @default 'pretty' */
  format?: 'json' | 'pretty' | undefined;
  /** Where lines go. @default process.stderr */
  write?: ((line: string) => void) | undefined;
  /** Fields on every line. */
  fields?: LogFields | undefined;
};

function render(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * Creates a structured logger. Logs go to stderr so stdout stays free for results.
 *
 * @example
 * const logger = createLogger({ level: 'debug', format: 'json' }).child({ role: 'miner' });
 * logger.info('window done', { window: 12, loss: 3.2 });
 */
export function createLogger(parameters: CreateLoggerParameters = {}): Logger {
  const level = parameters.level ?? 'info';
  const format = parameters.format ?? 'pretty';
  const write = parameters.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = parameters.fields ?? {};

  const emit = (at: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields = {}) => {
    if (rank[at] < rank[level]) return;
    const all = { ...base, ...fields };
    if (format === 'json') {
      write(
        JSON.stringify(
          { time: new Date().toISOString(), level: at, msg: message, ...all },
          (_k, v: unknown) => render(v),
        ),
      );
      return;
    }
    const tail = Object.entries(all)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(render(v))}`)
      .join(' ');
    write(
      `${new Date().toISOString().slice(11, 23)} ${at.toUpperCase().padEnd(5)} ${message}${tail ? ` ${tail}` : ''}`,
    );
  };

  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ level, format, write, fields: { ...base, ...fields } }),
  };
}

/** A logger that writes nothing; for tests. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
