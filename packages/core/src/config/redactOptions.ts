import type { TObject } from '@sinclair/typebox';
import { collectFields } from './collectFields.js';

/**
 * A copy of `options` safe to log: fields marked `secret: true` in the schema become
 * `'<secret>'`, bigints become strings.
 *
 * @example
 * logger.info('starting', { options: redactOptions({ schema, options }) });
 */
export function redactOptions(parameters: { schema: TObject; options: unknown }): Record<string, unknown> {
  const copy = structuredClone(parameters.options) as Record<string, unknown>;
  for (const field of collectFields({ schema: parameters.schema, envPrefix: '' })) {
    let parent: Record<string, unknown> | undefined = copy;
    for (const part of field.path.slice(0, -1))
      parent = parent?.[part] as Record<string, unknown> | undefined;
    const last = field.path[field.path.length - 1];
    if (parent === undefined || last === undefined || !(last in parent)) continue;
    if (field.secret) parent[last] = '<secret>';
    else if (typeof parent[last] === 'bigint') parent[last] = String(parent[last]);
  }
  return copy;
}
