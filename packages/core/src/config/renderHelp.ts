import type { TObject } from '@sinclair/typebox';
import { collectFields } from './collectFields.js';
import { expectedOf, placeholderOf } from './describeField.js';

/** Parameters of {@link renderHelp}. */
export type RenderHelpParameters = {
  /** The same schema the command passes to {@link buildOptions}. */
  schema: TObject;
  /** The command as typed: `tessera miner`. */
  command: string;
  /** One or two sentences on what the command does. */
  description?: string | undefined;
  /** @default 'TESSERA_' */
  envPrefix?: string | undefined;
  /** Column the descriptions start at. @default 34 */
  width?: number | undefined;
};

/**
 * Renders a command's `--help` from its options schema: every flag with its value
 * placeholder, description, environment variable, expected type and default.
 *
 * @returns The help text, ending in a newline.
 * @example
 * process.stdout.write(renderHelp({ schema: minerOptionsSchema, command: 'tessera miner', description: 'Trains and commits updates.' }));
 */
export function renderHelp(parameters: RenderHelpParameters): string {
  const envPrefix = parameters.envPrefix ?? 'TESSERA_';
  const width = parameters.width ?? 34;
  const fields = collectFields({ schema: parameters.schema, envPrefix });
  const lines = [`Usage: ${parameters.command} [options]`, ''];
  if (parameters.description) lines.push(parameters.description, '');
  lines.push('Options:');

  const entry = (flag: string, description: string, details: string[]) => {
    const head = `  ${flag}`;
    const pad = ' '.repeat(width);
    const first = head.length < width ? head.padEnd(width) + description : `${head}\n${pad}${description}`;
    lines.push(first.trimEnd());
    if (details.length) lines.push(`${pad}${details.join('; ')}`);
  };

  for (const field of fields) {
    const placeholder = placeholderOf(field);
    const flag =
      field.kind === 'boolean'
        ? `${field.flag}, --no-${field.flag.slice(2)}`
        : `${field.flag} ${placeholder}`;
    const schema = field.schema as { description?: string; default?: unknown };
    const details = [`env ${field.env}`];
    if (field.kind !== 'string' && field.kind !== 'boolean') details.push(expectedOf(field));
    if (field.kind === 'string' && expectedOf(field) !== 'a string') details.push(expectedOf(field));
    if ('default' in schema && !field.secret) details.push(`default ${formatDefault(schema.default)}`);
    else if ('default' in schema) details.push('has a default');
    else if (field.required) details.push('required');
    if (field.secret) details.push('secret');
    entry(flag, schema.description ?? '', details);
  }
  entry('--config <path>', 'JSON file holding any of these options, keys as field names.', [
    `env ${envPrefix}CONFIG`,
  ]);
  entry('-h, --help', 'Show this help.', []);
  lines.push('', 'Precedence: flags, then environment, then the config file, then defaults.');
  return `${lines.join('\n')}\n`;
}

function formatDefault(value: unknown): string {
  if (typeof value === 'bigint') return `${value}`;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map((v) => String(v)).join(',');
  return JSON.stringify(value) ?? String(value);
}
