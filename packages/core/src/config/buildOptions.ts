import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Static, TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from '../errors/config.js';
import type { ConfigIssue, ConfigSource } from '../errors/config.js';
import { collectFields } from './collectFields.js';
import type { ConfigField } from './collectFields.js';
import { coerceFileValue, coerceString, shown } from './coerceValue.js';
import { expectedOf } from './describeField.js';
import { suggestName } from './suggestName.js';

/** A readonly view of `T`, all the way down. */
export type DeepReadonly<T> = T extends bigint | string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/** The frozen, validated options a schema describes. */
export type OptionsOf<S extends TObject> = DeepReadonly<Static<S>>;

/** Parameters of {@link buildOptions}. */
export type BuildOptionsParameters<S extends TObject> = {
  /**
   * The options' TypeBox schema. Every field carries `description` (help text) and, unless
   * required, `default`; `secret: true` keeps a value out of errors and help; `placeholder`
   * names the value in help. Objects may nest; leaves are strings, numbers, integers,
   * bigints, booleans, literal unions, and arrays of those.
   */
  schema: S;
  /** Command-line arguments after the command name, e.g. `process.argv.slice(3)`. */
  argv: readonly string[];
  /** @default process.env */
  env?: Record<string, string | undefined> | undefined;
  /** Prefix of environment variables. @default 'TESSERA_' */
  envPrefix?: string | undefined;
  /** Config file read when neither `--config` nor `<prefix>CONFIG` names one, if it exists. */
  defaultConfigFile?: string | undefined;
  /** Folder relative config paths resolve from. @default process.cwd() */
  cwd?: string | undefined;
  /**
   * Dotted keys (`rpcUrl`, `storage.root`) that other commands take, so one config file can
   * serve several: such a key in the file is skipped when this schema lacks it, where any
   * other unknown key is an error. A key also matches when it is an object holding some of
   * them (`s3` for `s3.bucket`).
   * @default none
   */
  knownElsewhere?: ReadonlySet<string> | undefined;
};

/** Largest config file read, in bytes. */
const maxConfigFileBytes = 1 << 20;

/**
 * Builds a command's options from flags, then environment, then a JSON config file, then
 * the schema's defaults, and returns them validated and deep-frozen.
 *
 * A field `rpcUrl` is `--rpc-url <value>` (or `--rpc-url=<value>`), `TESSERA_RPC_URL`, and
 * `"rpcUrl"` in the file; nested `storage.root` is `--storage.root`, `TESSERA_STORAGE__ROOT`
 * and `{ "storage": { "root": ... } }`. Booleans take `--flag`, `--no-flag` or `--flag=false`;
 * lists are comma-separated or repeated flags. The file comes from `--config <path>` or
 * `TESSERA_CONFIG`. Empty environment variables count as unset; unknown variables are
 * ignored (other commands may use them), and so are file keys listed in `knownElsewhere`,
 * but unknown flags and other unknown file keys are errors.
 *
 * @returns The options, typed from the schema.
 * @throws ConfigError listing every bad field, where its value came from and what was expected.
 * @example
 * const schema = Type.Object({
 *   rpcUrl: Type.String({ description: 'JSON-RPC endpoint of the chain.', default: 'http://127.0.0.1:8545' }),
 *   uid: Type.Integer({ description: 'Our uid.', minimum: 0 }),
 * });
 * const options = buildOptions({ schema, argv: process.argv.slice(3) });
 */
export function buildOptions<S extends TObject>(parameters: BuildOptionsParameters<S>): OptionsOf<S> {
  const { schema, argv } = parameters;
  const env = parameters.env ?? process.env;
  const envPrefix = parameters.envPrefix ?? 'TESSERA_';
  const cwd = parameters.cwd ?? process.cwd();
  const fields = collectFields({ schema, envPrefix });
  const issues: ConfigIssue[] = [];
  const issue = (field: string, source: ConfigSource, name: string, problem: string) =>
    issues.push({ field, source, name, problem });

  // Flags.
  const byFlag = new Map(fields.map((field) => [field.flag, field]));
  const flagNames = ['--config', ...byFlag.keys()];
  const flagValues = new Map<ConfigField, string[]>();
  let configFlag: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = String(argv[i]);
    if (!arg.startsWith('--') || arg === '--') {
      const problem =
        arg === '-h'
          ? 'help was asked for: print renderHelp() instead of building options'
          : 'unexpected argument';
      issue(
        '',
        'flag',
        arg,
        arg.startsWith('-') && arg !== '-h' && arg !== '--'
          ? `${problem} (only long --flags are accepted)`
          : problem,
      );
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i++;
      return next;
    };

    if (name === '--config') {
      const value = takeValue();
      if (value === undefined || value === '') issue('', 'flag', name, 'needs a path');
      else if (configFlag !== undefined) issue('', 'flag', name, 'given more than once');
      else configFlag = value;
      continue;
    }
    let field = byFlag.get(name);
    let negated = false;
    if (field === undefined && name.startsWith('--no-')) {
      const positive = byFlag.get(`--${name.slice(5)}`);
      if (positive?.kind === 'boolean') [field, negated] = [positive, true];
    }
    if (field === undefined) {
      const suggestion = suggestName({ name, candidates: flagNames });
      const problem =
        name === '--help'
          ? 'help was asked for: print renderHelp() instead of building options'
          : `unknown flag${suggestion === undefined ? '' : `; did you mean ${suggestion}?`}`;
      issue('', 'flag', name, problem);
      if (inline === undefined && argv[i + 1] !== undefined && !String(argv[i + 1]).startsWith('-')) i++;
      continue;
    }
    let raw: string | undefined;
    if (field.kind === 'boolean') {
      if (negated && inline !== undefined) {
        issue(field.key, 'flag', name, `takes no value; use ${field.flag}=${inline} instead`);
        continue;
      }
      raw = negated ? 'false' : (inline ?? 'true');
    } else {
      raw = takeValue();
      if (raw === undefined) {
        issue(field.key, 'flag', name, `needs a value: ${expectedOf(field)}`);
        continue;
      }
    }
    const previous = flagValues.get(field);
    if (previous !== undefined && field.kind !== 'array') {
      issue(field.key, 'flag', field.flag, 'given more than once');
      continue;
    }
    flagValues.set(field, [...(previous ?? []), raw]);
  }

  // Config file.
  const configEnv = `${envPrefix}CONFIG`;
  const configEnvValue = env[configEnv] === '' ? undefined : env[configEnv];
  let file: { path: string; data: Record<string, unknown> } | undefined;
  const fileSpec =
    configFlag !== undefined
      ? { path: configFlag, source: 'flag' as const, name: '--config' }
      : configEnvValue !== undefined
        ? { path: configEnvValue, source: 'env' as const, name: configEnv }
        : parameters.defaultConfigFile !== undefined && exists(resolve(cwd, parameters.defaultConfigFile))
          ? { path: parameters.defaultConfigFile, source: 'default' as const, name: 'default config file' }
          : undefined;
  if (fileSpec !== undefined) {
    const path = resolve(cwd, fileSpec.path);
    const loaded = loadJson(path);
    if ('problem' in loaded) issue('', fileSpec.source, fileSpec.name, loaded.problem);
    else if (loaded.data === null || typeof loaded.data !== 'object' || Array.isArray(loaded.data)) {
      issue('', 'file', path, 'expected a JSON object at the top level');
    } else {
      file = { path, data: loaded.data as Record<string, unknown> };
      const elsewhere = parameters.knownElsewhere ?? new Set<string>();
      checkFileKeys({ data: file.data, object: schema, at: [], path, elsewhere, issue });
    }
  }

  // Resolve every field: flag > env > file > default.
  const result: Record<string, unknown> = {};
  const origins = new Map<ConfigField, { source: ConfigSource; name: string; raw: unknown }>();
  const failed = new Set<ConfigField>();
  for (const field of fields) {
    let value: unknown;
    let origin: { source: ConfigSource; name: string; raw: unknown } | undefined;
    const flags = flagValues.get(field);
    const envValue = env[field.env];
    const fileValue = file === undefined ? undefined : valueAt(file.data, field.path);
    if (flags !== undefined) {
      const raw = flags.join(',');
      const coerced = coerceString(field, raw);
      origin = { source: 'flag', name: field.flag, raw };
      if (!coerced.ok) {
        issue(field.key, 'flag', field.flag, coerced.problem);
        failed.add(field);
        continue;
      }
      value = coerced.value;
    } else if (envValue !== undefined && envValue !== '') {
      const coerced = coerceString(field, envValue);
      origin = { source: 'env', name: field.env, raw: envValue };
      if (!coerced.ok) {
        issue(field.key, 'env', field.env, coerced.problem);
        failed.add(field);
        continue;
      }
      value = coerced.value;
    } else if (file !== undefined && fileValue !== undefined) {
      value = coerceFileValue(field, fileValue);
      origin = { source: 'file', name: `${file.path}: ${field.key}`, raw: fileValue };
    } else if ('default' in field.schema) {
      value = Value.Clone(field.schema.default);
      origin = { source: 'default', name: `${field.flag} default`, raw: value };
    } else if (field.required) {
      issue(
        field.key,
        'missing',
        field.flag,
        `required (${expectedOf(field)}); set ${field.flag}, ${field.env} or "${field.key}" in the config file`,
      );
      failed.add(field);
      continue;
    } else {
      continue;
    }
    origins.set(field, origin);
    setAt(result, field.path, value);
  }

  // Validate what was assembled; one issue per field.
  for (const error of Value.Errors(schema, result)) {
    const segments = error.path.split('/').slice(1).map(unescapePointer);
    const within = (a: readonly string[], b: readonly string[]) =>
      a.every((part, index) => b[index] === part);
    const matches = fields.filter((f) => within(f.path, segments) || within(segments, f.path));
    const field = matches[0];
    if (field === undefined) {
      issue(segments.join('.'), 'missing', segments.join('.') || '(options)', error.message);
      continue;
    }
    if (matches.some((f) => failed.has(f))) continue;
    failed.add(field);
    const origin = origins.get(field);
    issue(
      field.key,
      origin?.source ?? 'missing',
      origin?.name ?? field.flag,
      `expected ${expectedOf(field)}, got ${shown(field, origin?.raw)}`,
    );
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return deepFreeze(result) as OptionsOf<S>;
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function loadJson(path: string): { data: unknown } | { problem: string } {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxConfigFileBytes)
      return { problem: `${path} is ${size} bytes; config files are at most ${maxConfigFileBytes}` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { problem: `cannot read ${path}${typeof code === 'string' ? ` (${code})` : ''}` };
  }
  try {
    return { data: JSON.parse(text) as unknown };
  } catch (error) {
    return { problem: `${path} is not valid JSON: ${(error as Error).message}` };
  }
}

function checkFileKeys(parameters: {
  data: Record<string, unknown>;
  object: TObject;
  at: readonly string[];
  path: string;
  elsewhere: ReadonlySet<string>;
  issue: (field: string, source: ConfigSource, name: string, problem: string) => void;
}): void {
  const { data, object, at, path, elsewhere, issue } = parameters;
  // A typo of another command's key is suggested too.
  const prefix = at.length === 0 ? '' : `${at.join('.')}.`;
  const known = [
    ...Object.keys(object.properties),
    ...[...elsewhere]
      .filter((key) => key.startsWith(prefix))
      .map((key) => key.slice(prefix.length).split('.')[0] ?? ''),
  ];
  for (const [key, value] of Object.entries(data)) {
    const here = [...at, key];
    if (at.length === 0 && key === '$schema') continue;
    const property = object.properties[key];
    if (property === undefined) {
      if (isKnownElsewhere(elsewhere, here.join('.'))) continue;
      const suggestion = suggestName({ name: key, candidates: known });
      issue(
        here.join('.'),
        'file',
        `${path}: ${here.join('.')}`,
        `unknown key${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}`,
      );
    } else if ((property as { type?: unknown }).type === 'object' && 'properties' in property) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        issue(
          here.join('.'),
          'file',
          `${path}: ${here.join('.')}`,
          `expected an object, got ${JSON.stringify(value)}`,
        );
      } else {
        checkFileKeys({
          data: value as Record<string, unknown>,
          object: property as TObject,
          at: here,
          path,
          elsewhere,
          issue,
        });
      }
    }
  }
}

function isKnownElsewhere(elsewhere: ReadonlySet<string>, key: string): boolean {
  if (elsewhere.has(key)) return true;
  for (const other of elsewhere) if (other.startsWith(`${key}.`)) return true;
  return false;
}

function valueAt(data: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = data;
  for (const part of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  path.forEach((part, index) => {
    if (index === path.length - 1) {
      current[part] = value;
      return;
    }
    current[part] ??= {};
    current = current[part] as Record<string, unknown>;
  });
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
