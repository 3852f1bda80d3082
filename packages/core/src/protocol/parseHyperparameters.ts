import { KindGuard } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { HyperparametersError } from '../errors/protocol.js';
import type { HyperparameterIssue } from '../errors/protocol.js';
import { hyperparametersSchema } from './hyperparametersSchema.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/**
 * Validates a run's hyperparameters, fills in the defaults of the fields left out, and
 * returns them frozen. Checks that span fields: `topK ≤ chunkSize` and
 * `deadlineGraceBlocks < blocksPerWindow`.
 *
 * @param input A JSON-like object: a preset spread with overrides, or a config file's section.
 * @returns The hyperparameters, frozen.
 * @throws HyperparametersError listing every bad field with its path, what was expected and
 *   what was received; unknown fields are errors too.
 * @example
 * const hyperparameters = parseHyperparameters({ ...hyperparameterPresets.tiny, innerSteps: 4 });
 */
export function parseHyperparameters(input: unknown = {}): Hyperparameters {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new HyperparametersError([{ path: '', message: 'Expected an object', value: input }]);
  }
  const withDefaults: unknown = Value.Default(hyperparametersSchema, Value.Clone(input));
  const issues: HyperparameterIssue[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(hyperparametersSchema, withDefaults)) {
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    issues.push({ path: error.path, message: messageOf(error.schema, error.message), value: error.value });
  }
  if (issues.length === 0) {
    const parsed = withDefaults as Hyperparameters;
    if (parsed.topK > parsed.chunkSize) {
      issues.push({
        path: '/topK',
        message: `Expected at most chunkSize (${parsed.chunkSize})`,
        value: parsed.topK,
      });
    }
    if (parsed.deadlineGraceBlocks >= parsed.blocksPerWindow) {
      issues.push({
        path: '/deadlineGraceBlocks',
        message: `Expected less than blocksPerWindow (${parsed.blocksPerWindow})`,
        value: parsed.deadlineGraceBlocks,
      });
    }
  }
  if (issues.length > 0) throw new HyperparametersError(issues);
  return Object.freeze(withDefaults as Hyperparameters);
}

function messageOf(schema: unknown, fallback: string): string {
  if (KindGuard.IsUnion(schema) && schema.anyOf.every((member) => KindGuard.IsLiteral(member))) {
    return `Expected one of ${schema.anyOf.map((member) => JSON.stringify(member.const)).join(', ')}`;
  }
  return fallback;
}
