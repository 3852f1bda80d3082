import { pino, stdSerializers } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';

/** Severity of a log line, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

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
  /** `json`: one object per line; `pretty`: `HH:MM:SS.mmm LEVEL message k=v`. @default 'pretty' */
  format?: 'json' | 'pretty' | undefined;
  /** Where lines go, one call per line without its newline. @default process.stderr, synchronously */
  write?: ((line: string) => void) | undefined;
  /** Fields on every line. */
  fields?: LogFields | undefined;
};

const redacted = '[redacted]';

/** Field names whose values are secrets wherever they appear. */
const secretField =
  /^(private-?key|privatekey|password|passphrase|secret|mnemonic|seed|suri|.*secret-?access-?key|.*session-?token|.*api-?key|authorization|cookie)$/i;

/** Query parameters that carry credentials (provider keys, presigned signatures). */
const secretQuery =
  /^(key|api-?key|api_key|apikey|token|access_token|auth|secret|signature|x-amz-signature|x-amz-credential|x-amz-security-token)$/i;

/** Fields that name an RPC endpoint, whose path may hold a provider key (`/v3/<key>`, `/v2/<key>`). */
const rpcField = /(rpc|ws)(-?url)?$/i;

/**
 * A URL with its credentials taken out: user info, credential query parameters and, for RPC
 * endpoints, path segments that look like keys (16 or more letters and digits).
 */
function scrubUrl(text: string, isRpc: boolean): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let scrubbed = false;
  if (url.username || url.password) {
    url.username = redacted;
    url.password = '';
    scrubbed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (!secretQuery.test(name)) continue;
    url.searchParams.set(name, redacted);
    scrubbed = true;
  }
  if (isRpc) {
    const segments = url.pathname.split('/');
    const kept = segments.map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) ? redacted : segment));
    if (kept.some((segment, i) => segment !== segments[i])) {
      url.pathname = kept.join('/');
      scrubbed = true;
    }
  }
  // Untouched URLs are written as given (URL would normalize them).
  return scrubbed ? url.toString() : text;
}

/** A field's value as it may be logged: errors with stack and cause, bigints as strings, secrets out. */
function clean(key: string, value: unknown, depth: number): unknown {
  if (secretField.test(key) && value !== undefined && value !== '') return redacted;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string')
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? scrubUrl(value, rpcField.test(key)) : value;
  if (value instanceof Error) return clean(key, stdSerializers.errWithCause(value), depth);
  if (depth >= 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => clean(key, item, depth + 1));
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of Object.entries(value)) out[name] = clean(name, inner, depth + 1);
  return out;
}

function cleanFields(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) out[key] = clean(key, value, 0);
  return out;
}

/** A human line from pino's JSON line: time, level, message, then the fields as k=v. */
function prettyLine(json: string): string {
  const { time, level, msg, ...fields } = JSON.parse(json) as Record<string, unknown>;
  const tail = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}${tail ? ` ${tail}` : ''}`;
}

function wrap(instance: PinoLogger): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields): void => {
      if (fields === undefined) instance[level](message);
      else instance[level](cleanFields(fields), message);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(instance.child(cleanFields(fields))),
  };
}

/**
 * Creates a structured logger on pino. Logs go to stderr, synchronously, so stdout stays free
 * for results and no line is lost when a process exits. JSON lines carry `time` (ISO),
 * `level` (its name), `msg` and the fields; an `Error` anywhere in the fields is written with
 * its type, message, stack, cause chain and own properties (a `BaseError`'s reason, details
 * and hint). Secrets never reach a line: fields named like keys, passwords, mnemonics and S3
 * secrets are `[redacted]`, and so are the credentials inside URLs (user info, key and
 * signature parameters, and the key in an RPC endpoint's path).
 *
 * @example
 * const logger = createLogger({ level: 'debug', format: 'json' }).child({ role: 'miner' });
 * logger.info('window done', { window: 12, loss: 3.2 });
 */
export function createLogger(parameters: CreateLoggerParameters = {}): Logger {
  const format = parameters.format ?? 'pretty';
  const write = parameters.write;
  const json: DestinationStream =
    write === undefined
      ? pino.destination({ fd: 2, sync: true })
      : { write: (line: string) => write(line.replace(/\n$/, '')) };
  const destination: DestinationStream =
    format === 'json'
      ? json
      : {
          write: (line: string) => {
            json.write(`${prettyLine(line)}\n`);
          },
        };
  const instance = pino(
    {
      level: parameters.level ?? 'info',
      base: cleanFields(parameters.fields ?? {}),
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return wrap(instance);
}

/** A logger that writes nothing; for tests. */
export const silentLogger: Logger = createLogger({ level: 'silent' });
