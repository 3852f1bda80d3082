import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchResult } from './types.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where the multi-host suite leaves each role's JSON log (`<n>-<role>.log`). */
const defaultLogs = join(root, 'test-output', 'multi-host');

/** Seconds by phase, as one role's log lines give them, a list of samples per phase. */
export type PhaseSamples = Map<string, number[]>;

const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/**
 * The phase timings in one role's JSON log lines: the miner's `window committed` (sync,
 * train, commit) and `update uploaded after the deadline` (upload), a worker's `update
 * downloaded` (download) and `update evaluated` (evaluate), the validator's `window
 * processed` (wait, sync, reference, plan, evaluate, score, aggregate, epoch). Lines that
 * are not JSON, or carry no such numbers, are passed over.
 */
export function phaseSamplesOf(lines: readonly string[]): PhaseSamples {
  const samples: PhaseSamples = new Map();
  const add = (phase: string, seconds: unknown) => {
    const value = number(seconds);
    if (value === undefined || value < 0) return;
    samples.set(phase, [...(samples.get(phase) ?? []), value]);
  };
  for (const text of lines) {
    let line: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
      line = parsed as Record<string, unknown>;
    } catch {
      continue;
    }
    const phases = line.phases;
    if ((line.msg === 'window committed' || line.msg === 'window processed') && typeof phases === 'object') {
      for (const [phase, seconds] of Object.entries(phases ?? {})) add(phase, seconds);
    } else if (line.msg === 'update uploaded after the deadline') add('upload', line.seconds);
    else if (line.msg === 'update downloaded') add('download', line.seconds);
    else if (line.msg === 'update evaluated') add('evaluate', line.seconds);
  }
  return samples;
}

/** The role a log file is of, from its name (`3-miner2.log` → miner; `late` is a miner too). */
export function roleOfLog(file: string): string | undefined {
  const name = file.replace(/^\d+-/, '').replace(/\.log$/, '');
  if (name.startsWith('validator')) return 'validator';
  if (name.startsWith('worker')) return 'worker';
  if (name.startsWith('miner') || name === 'late') return 'miner';
  return undefined;
}

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/**
 * Per role and phase, the median and 90th percentile of the seconds a window spent there in
 * the multi-host end-to-end run (chain, storage, Redis, validator, two workers and four miners
 * on their own network namespaces; packages/cli/src/network/multiHost.e2e.test.ts). Runs that
 * suite first unless `--phase-logs DIR` names the logs of a run already made.
 */
export const phasesBench: Bench = {
  name: 'phases',
  description:
    "Window timings per role in the multi-host run (every role on its own network namespace, updates through S3 and HTTP stores, two remote workers): seconds per window in each phase, median and p90 over the run. The validator's `evaluate` is wall time from planning the jobs to the last verdict (its own reference measurements run meanwhile); `wait` is the time until the window's deadline, so it shrinks as the other phases grow.",
  flags: { 'phase-logs': { type: 'string' } },
  async *run({ flags }) {
    let dir = typeof flags['phase-logs'] === 'string' ? flags['phase-logs'] : undefined;
    if (dir === undefined) {
      const jest = spawnSync(
        process.execPath,
        [
          '--experimental-vm-modules',
          '--no-warnings=ExperimentalWarning',
          join(root, 'node_modules/jest/bin/jest.js'),
          '--selectProjects',
          'e2e',
          '--runInBand',
          'packages/cli/src/network/multiHost',
        ],
        { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
      );
      if (jest.status !== 0) throw new Error(`the multi-host suite failed (exit ${jest.status}); no timings`);
      dir = defaultLogs;
    }
    if (!existsSync(dir)) throw new Error(`no role logs in ${dir}`);
    const byRole = new Map<string, PhaseSamples>();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.log'))) {
      const role = roleOfLog(file);
      if (role === undefined) continue;
      const merged = byRole.get(role) ?? new Map<string, number[]>();
      const lines = readFileSync(join(dir, file), 'utf8').split('\n');
      for (const [phase, values] of phaseSamplesOf(lines))
        merged.set(phase, [...(merged.get(phase) ?? []), ...values]);
      byRole.set(role, merged);
    }
    for (const role of ['miner', 'worker', 'validator']) {
      for (const [phase, values] of byRole.get(role) ?? []) {
        const result: BenchResult = {
          bench: 'phases',
          role,
          phase,
          samples: values.length,
          medianSeconds: quantile(values, 0.5),
          p90Seconds: quantile(values, 0.9),
        };
        yield result;
      }
    }
  },
};
