import type { Redis } from 'ioredis';
import type { EvaluationResult, ValidatorKeys } from '@tessera/validator';
import type { RoleProcesses } from './roleProcesses.js';

/** What a validator keeps in Redis, read back for end-to-end checks; see {@link validatorRecords}. */
export type ValidatorRecords = {
  /** The last window the validator finished, if any. */
  lastWindow(): Promise<number | undefined>;
  /** Windows whose scores were applied to the averages, ascending. */
  appliedWindows(): Promise<number[]>;
  /** The verdicts of one window, by uid. */
  verdicts(window: number): Promise<Map<number, EvaluationResult>>;
  /** The first applied window after `after` whose verdicts `accept` accepts. */
  appliedWindowWhere(
    what: string,
    after: number,
    accept: (verdicts: Map<number, EvaluationResult>) => boolean,
    timeoutMs?: number,
  ): Promise<number>;
};

/**
 * Reads a validator's records (last window, applied windows, verdicts) from its Redis keys.
 *
 * @example
 * const records = validatorRecords({ redis, keys, waitFor: processes.waitFor });
 * const window = await records.appliedWindowWhere('both miners scored', -1, (v) => v.size === 2);
 */
export function validatorRecords(parameters: {
  redis: Redis;
  keys: ValidatorKeys;
  waitFor: RoleProcesses['waitFor'];
}): ValidatorRecords {
  const { redis, keys, waitFor } = parameters;
  const appliedWindows = async () => (await redis.smembers(keys.applied)).map(Number).sort((a, b) => a - b);
  const verdicts = async (window: number) => {
    const hash = await redis.hgetall(keys.results(window));
    return new Map(
      Object.entries(hash).map(([uid, json]) => [Number(uid), JSON.parse(json) as EvaluationResult]),
    );
  };
  return {
    async lastWindow() {
      const value = await redis.get(keys.lastWindow);
      return value === null ? undefined : Number(value);
    },
    appliedWindows,
    verdicts,
    appliedWindowWhere(what, after, accept, timeoutMs = 3 * 60_000) {
      // An applied window's verdicts never change: read each once.
      const refused = new Set<number>();
      return waitFor(
        what,
        async () => {
          for (const window of await appliedWindows()) {
            if (window <= after || refused.has(window)) continue;
            if (accept(await verdicts(window))) return window;
            refused.add(window);
          }
          return undefined;
        },
        timeoutMs,
        500,
      );
    },
  };
}
