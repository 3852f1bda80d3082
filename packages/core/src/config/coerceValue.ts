import type { TSchema } from '@sinclair/typebox';
import type { ConfigField, ConfigFieldKind } from './collectFields.js';
import { literalsOf } from './collectFields.js';
import { expectedOf } from './describeField.js';

/** A coerced value, or what went wrong. */
export type Coerced = { ok: true; value: unknown } | { ok: false; problem: string };

const numberPattern = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const truthy = new Set(['true', '1', 'yes', 'on']);
const falsy = new Set(['false', '0', 'no', 'off']);

/** How a value is shown in an error: quoted and shortened, or `<secret>`. */
export function shown(field: Pick<ConfigField, 'secret'>, value: unknown): string {
  if (field.secret) return '<secret>';
  const text = typeof value === 'bigint' ? `${value}` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Reads a flag or environment string as the field's type: numbers, integers, whole numbers
 * (bigint), booleans (`true/false/1/0/yes/no/on/off`), literals, comma-separated lists.
 */
export function coerceString(field: ConfigField, raw: string): Coerced {
  if (field.kind === 'array') {
    const items = field.items ?? field.schema;
    const parts = raw
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const values: unknown[] = [];
    for (const part of parts) {
      const value = coerceScalar(field.itemKind ?? 'string', items, part);
      if (value === undefined)
        return { ok: false, problem: `expected ${expectedOf(field)}, got ${shown(field, raw)}` };
      values.push(value);
    }
    return { ok: true, value: values };
  }
  const value = coerceScalar(field.kind, field.schema, raw);
  if (value === undefined)
    return { ok: false, problem: `expected ${expectedOf(field)}, got ${shown(field, raw)}` };
  return { ok: true, value };
}

function coerceScalar(kind: ConfigFieldKind, schema: TSchema, raw: string): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'string':
      return raw;
    case 'number':
      return numberPattern.test(text) ? Number(text) : undefined;
    case 'integer': {
      const value = numberPattern.test(text) ? Number(text) : NaN;
      return Number.isSafeInteger(value) ? value : undefined;
    }
    case 'bigint':
      return /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
    case 'boolean':
      return truthy.has(text.toLowerCase()) ? true : falsy.has(text.toLowerCase()) ? false : undefined;
    case 'enum':
      for (const literal of literalsOf(schema)) {
        if (typeof literal === 'string' && literal === raw) return literal;
        if (typeof literal === 'number' && numberPattern.test(text) && Number(text) === literal)
          return literal;
        if (typeof literal === 'boolean' && coerceScalar('boolean', schema, text) === literal) return literal;
      }
      return undefined;
    case 'array':
      return undefined;
  }
}

/**
 * Takes a config-file (JSON) value as is, except that whole numbers for a bigint field may
 * be written as a JSON integer or a string of digits, since JSON has no bigint.
 */
export function coerceFileValue(field: ConfigField, value: unknown): unknown {
  const toBigInt = (v: unknown) =>
    typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())
      ? BigInt(v.trim())
      : typeof v === 'number' && Number.isSafeInteger(v)
        ? BigInt(v)
        : v;
  if (field.kind === 'bigint') return toBigInt(value);
  if (field.kind === 'array' && field.itemKind === 'bigint' && Array.isArray(value))
    return value.map(toBigInt);
  return value;
}
