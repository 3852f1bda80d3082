import { randomBytes } from 'node:crypto';
import { HyperparametersError, hyperparameterPresets, parseHyperparameters } from '@tessera/core';
import type { Hyperparameters } from '@tessera/core';

/** Parameters of {@link buildRunConfig}. */
export type BuildRunConfigParameters = {
  /** A name in `hyperparameterPresets` (`tiny`, `gpu`). */
  preset: string;
  /**
   * Overrides as `key=value`: the key a hyperparameter (`innerSteps`) or a dotted path into one
   * (`dataset.manifest`); the value JSON when it parses as JSON (`8`, `true`, `["a","b"]`), else
   * the text itself (`0x…`, `gpu-50m`). Values may hold commas.
   */
  set: readonly string[];
  /** Where a fresh `runSeed` comes from when `set` gives none. @default 32 random bytes */
  randomSeed?: (() => `0x${string}`) | undefined;
};

/** One `--set` or preset that cannot make a run config, for a usage error. */
export type RunConfigProblem = { field: 'preset' | 'set'; problem: string };

/**
 * Builds a run config from a hyperparameter preset and `key=value` overrides, with a fresh
 * random `runSeed` unless one is set, and validates it as every role will.
 *
 * @returns The hyperparameters, or every problem found (unknown preset, a malformed `--set`,
 *   each bad field).
 * @example
 * const built = buildRunConfig({ preset: 'gpu', set: ['shards=8'] });
 * if ('hyperparameters' in built) console.log(built.hyperparameters.runSeed);
 */
export function buildRunConfig(
  parameters: BuildRunConfigParameters,
): { hyperparameters: Hyperparameters } | { problems: RunConfigProblem[] } {
  const { preset } = parameters;
  if (!Object.hasOwn(hyperparameterPresets, preset)) {
    return {
      problems: [
        {
          field: 'preset',
          problem: `unknown preset "${preset}"; known: ${Object.keys(hyperparameterPresets).join(', ')}`,
        },
      ],
    };
  }
  const base = hyperparameterPresets[preset as keyof typeof hyperparameterPresets];
  const config: Record<string, unknown> = structuredClone({ ...base }) as Record<string, unknown>;
  const problems: RunConfigProblem[] = [];
  const given = new Set<string>();
  for (const assignment of rejoined(parameters.set)) {
    const at = assignment.indexOf('=');
    const key = at < 0 ? '' : assignment.slice(0, at).trim();
    if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(key)) {
      problems.push({ field: 'set', problem: `"${assignment}" is not key=value (as innerSteps=4)` });
      continue;
    }
    given.add(key.split('.')[0] as string);
    setPath(config, key.split('.'), valueOf(assignment.slice(at + 1)));
  }
  if (!given.has('runSeed')) config.runSeed = (parameters.randomSeed ?? freshSeed)();
  if (problems.length > 0) return { problems };
  try {
    return { hyperparameters: parseHyperparameters(config) };
  } catch (error) {
    if (!(error instanceof HyperparametersError)) throw error;
    return {
      problems: error.issues.map((issue) => ({
        field: 'set',
        problem: `${issue.path.slice(1).replaceAll('/', '.') || '(config)'}: ${issue.message} (got ${JSON.stringify(issue.value) ?? 'nothing'})`,
      })),
    };
  }
}

/**
 * The flag parser splits list flags at commas, so `--set 'dataset.mirrors=["a","b"]'` arrives
 * as two pieces: a piece that does not start with `key=` belongs to the one before.
 */
function rejoined(pieces: readonly string[]): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    if (out.length > 0 && !/^[A-Za-z][A-Za-z0-9.]*=/.test(piece)) out[out.length - 1] += `,${piece}`;
    else out.push(piece);
  }
  return out;
}

function freshSeed(): `0x${string}` {
  return `0x${randomBytes(32).toString('hex')}`;
}

function valueOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const next = target[head];
  const child =
    typeof next === 'object' && next !== null && !Array.isArray(next)
      ? (next as Record<string, unknown>)
      : {};
  target[head] = child;
  setPath(child, rest, value);
}
