/** Seconds spent in each named phase of one pass of a role's loop; see {@link createPhaseClock}. */
export type PhaseClock = {
  /** Ends the current phase as `name` (time since the previous `lap` or the clock's start); repeated names add up. */
  lap(name: string): void;
  /** The phases so far, in the order they first ended, in seconds rounded to milliseconds. */
  seconds(): Record<string, number>;
};

/**
 * A stopwatch over the phases of one window (sync, train, commit, evaluate, aggregate…), for
 * the one log line a role writes per window; `scripts/bench/phases.ts` reads those lines
 * back into per-role timings.
 *
 * @example
 * const clock = createPhaseClock();
 * await sync(); clock.lap('sync');
 * await train(); clock.lap('train');
 * logger.info('window committed', { phases: clock.seconds() });
 */
export function createPhaseClock(now: () => number = () => performance.now()): PhaseClock {
  let last = now();
  const phases = new Map<string, number>();
  return {
    lap(name) {
      const at = now();
      phases.set(name, (phases.get(name) ?? 0) + (at - last));
      last = at;
    },
    seconds: () => Object.fromEntries([...phases].map(([name, ms]) => [name, Math.round(ms) / 1000])),
  };
}
