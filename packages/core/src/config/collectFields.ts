import { KindGuard } from '@sinclair/typebox';
import type { TObject, TSchema } from '@sinclair/typebox';
import { optionNamesOf } from './optionNames.js';

/** What a field holds, as far as reading it from a string goes. */
export type ConfigFieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'bigint' | 'enum' | 'array';

/** One leaf of an options schema, with every name it goes by. */
export type ConfigField = {
  path: readonly string[];
  /** Dotted path: `storage.root`. */
  key: string;
  flag: string;
  env: string;
  schema: TSchema;
  kind: ConfigFieldKind;
  /** For `array`: the kind of its items. */
  itemKind?: Exclude<ConfigFieldKind, 'array' | 'boolean'> | undefined;
  /** For `array`: the schema of its items. */
  items?: TSchema | undefined;
  /** True when the field is not optional. */
  required: boolean;
  /** Never echoed in errors or help (`secret: true` on the schema). */
  secret: boolean;
};

/**
 * Lists the leaves of an options schema: plain types, literal unions and arrays of those,
 * inside objects nested to any depth.
 *
 * @throws TypeError when the schema holds a type a flag cannot express, or two fields
 * share a flag.
 * @example
 * collectFields({ schema: Type.Object({ rpcUrl: Type.String() }), envPrefix: 'TESSERA_' });
 */
export function collectFields(parameters: { schema: TObject; envPrefix: string }): ConfigField[] {
  const fields: ConfigField[] = [];
  const walk = (object: TObject, path: readonly string[]) => {
    const required = new Set(object.required ?? []);
    for (const [name, schema] of Object.entries(object.properties)) {
      const here = [...path, name];
      if (KindGuard.IsObject(schema)) {
        if (!required.has(name))
          throw new TypeError(`options field ${here.join('.')}: nested objects cannot be optional`);
        walk(schema, here);
        continue;
      }
      const kind = kindOf(schema);
      if (kind === undefined) throw new TypeError(`options field ${here.join('.')}: unsupported type`);
      let itemKind: ConfigField['itemKind'];
      let items: TSchema | undefined;
      if (KindGuard.IsArray(schema)) {
        items = schema.items;
        const itemsKind = kindOf(items);
        if (itemsKind === undefined || itemsKind === 'array' || itemsKind === 'boolean') {
          throw new TypeError(`options field ${here.join('.')}: arrays hold strings, numbers or literals`);
        }
        itemKind = itemsKind;
      }
      fields.push({
        path: here,
        key: here.join('.'),
        ...optionNamesOf({ path: here, envPrefix: parameters.envPrefix }),
        schema,
        kind,
        itemKind,
        items,
        required: required.has(name),
        secret: (schema as { secret?: unknown }).secret === true,
      });
    }
  };
  walk(parameters.schema, []);
  const seen = new Map<string, string>();
  for (const field of fields) {
    const other = seen.get(field.flag);
    if (other !== undefined)
      throw new TypeError(`options fields ${other} and ${field.key} both map to ${field.flag}`);
    if (field.flag === '--config' || field.flag === '--help')
      throw new TypeError(`options field ${field.key}: ${field.flag} is reserved`);
    seen.set(field.flag, field.key);
  }
  return fields;
}

function kindOf(schema: TSchema): ConfigFieldKind | undefined {
  if (KindGuard.IsString(schema)) return 'string';
  if (KindGuard.IsInteger(schema)) return 'integer';
  if (KindGuard.IsNumber(schema)) return 'number';
  if (KindGuard.IsBoolean(schema)) return 'boolean';
  if (KindGuard.IsBigInt(schema)) return 'bigint';
  if (KindGuard.IsLiteral(schema)) return 'enum';
  if (KindGuard.IsUnion(schema) && schema.anyOf.every((member) => KindGuard.IsLiteral(member))) return 'enum';
  if (KindGuard.IsArray(schema)) return 'array';
  return undefined;
}

/** The literal values of an `enum` field. */
export function literalsOf(schema: TSchema): (string | number | boolean)[] {
  if (KindGuard.IsLiteral(schema)) return [schema.const];
  if (KindGuard.IsUnion(schema)) return schema.anyOf.flatMap((member) => literalsOf(member));
  return [];
}
