import type { TSchema } from '@sinclair/typebox';
import type { ConfigField, ConfigFieldKind } from './collectFields.js';
import { literalsOf } from './collectFields.js';

type Constraints = {
  minimum?: number | bigint;
  maximum?: number | bigint;
  exclusiveMinimum?: number | bigint;
  exclusiveMaximum?: number | bigint;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minItems?: number;
  maxItems?: number;
  placeholder?: string;
};

/** What a field expects, in words: `an integer ≥ 1`, `one of: evm, subtensor`. */
export function expectedOf(field: Pick<ConfigField, 'kind' | 'itemKind' | 'items' | 'schema'>): string {
  if (field.kind === 'array') {
    const items = field.items ?? field.schema;
    const c = field.schema as Constraints;
    const size = [
      c.minItems === undefined ? '' : `at least ${c.minItems}`,
      c.maxItems === undefined ? '' : `at most ${c.maxItems}`,
    ]
      .filter(Boolean)
      .join(', ');
    return `a comma-separated list of ${plural(expectedOfSchema(field.itemKind ?? 'string', items))}${size ? ` (${size})` : ''}`;
  }
  return expectedOfSchema(field.kind, field.schema);
}

function expectedOfSchema(kind: ConfigFieldKind, schema: TSchema): string {
  const c = schema as Constraints;
  const bounds = [
    c.minimum === undefined ? '' : `≥ ${c.minimum}`,
    c.exclusiveMinimum === undefined ? '' : `> ${c.exclusiveMinimum}`,
    c.maximum === undefined ? '' : `≤ ${c.maximum}`,
    c.exclusiveMaximum === undefined ? '' : `< ${c.exclusiveMaximum}`,
  ].filter(Boolean);
  const tail = bounds.length ? ` ${bounds.join(' and ')}` : '';
  switch (kind) {
    case 'string': {
      const extra = [
        c.minLength === undefined ? '' : `at least ${c.minLength} characters`,
        c.maxLength === undefined ? '' : `at most ${c.maxLength} characters`,
        c.pattern === undefined ? '' : `matching /${c.pattern}/`,
        c.format === undefined ? '' : `in ${c.format} format`,
      ].filter(Boolean);
      return `a string${extra.length ? ` ${extra.join(', ')}` : ''}`;
    }
    case 'integer':
      return `an integer${tail}`;
    case 'number':
      return `a number${tail}`;
    case 'bigint':
      return `a whole number${tail}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of: ${literalsOf(schema)
        .map((v) => String(v))
        .join(', ')}`;
    case 'array':
      return 'a list';
  }
}

function plural(text: string): string {
  return text
    .replace(/^an? (\w+)/, (_m, word: string) => `${word}s`)
    .replace(/^one of:/, 'values, each one of:');
}

/** The `<placeholder>` after a flag in help: `<int>`, `<evm|subtensor>`, or the schema's `placeholder`. */
export function placeholderOf(field: Pick<ConfigField, 'kind' | 'itemKind' | 'items' | 'schema'>): string {
  const custom = (field.schema as Constraints).placeholder;
  if (custom !== undefined) return `<${custom}>`;
  const one = (kind: ConfigFieldKind, schema: TSchema): string => {
    switch (kind) {
      case 'integer':
      case 'bigint':
        return 'int';
      case 'enum':
        return literalsOf(schema).map(String).join('|');
      default:
        return kind;
    }
  };
  if (field.kind === 'boolean') return '';
  if (field.kind === 'array') {
    const items = field.items ?? field.schema;
    const custom = (items as Constraints).placeholder;
    return `<${custom ?? one(field.itemKind ?? 'string', items)},...>`;
  }
  return `<${one(field.kind, field.schema)}>`;
}
