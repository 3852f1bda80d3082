import { sleep } from '@tessera/core';
import type { Miner } from '@tessera/miner';
import type { Validator } from '@tessera/validator';

/** The steps of a window the devnet reports, in order. */
export type DevnetPhase = 'train' | 'commit' | 'evaluate' | 'aggregate';

/** One line of progress: a window reached a step. */
export type DevnetProgress = {
  window: number;
  phase: DevnetPhase;
  /** What happened, e.g. `3/3 miners committed`. */
  text: string;
};

/** Parameters of {@link watchDevnetProgress}. */
export type WatchDevnetProgressParameters = {
  miners: readonly Miner[];
  /** The evaluating validators; the first one's steps are reported. */
  validators: readonly Validator[];
  onProgress: (progress: DevnetProgress) => void;
  /** Stops the watch. */
  signal: AbortSignal;
  /** @default 250 */
  pollMs?: number | undefined;
};

/**
 * Follows the roles' status while windows run and reports each window's steps once, in
 * order: the miners training (`train`), their commitments (`commit`, once every miner
 * committed or the validator started evaluating), the validator scoring (`evaluate`) and
 * publishing the aggregate with its verdicts (`aggregate`). It only reads `status()`, so it
 * never slows a role down.
 *
 * @returns Resolves once `signal` aborted.
 * @example
 * const watching = watchDevnetProgress({ miners, validators, signal, onProgress: (p) => print(p) });
 */
export async function watchDevnetProgress(parameters: WatchDevnetProgressParameters): Promise<void> {
  const { miners, onProgress, signal } = parameters;
  const validator = parameters.validators[0];
  const pollMs = parameters.pollMs ?? 250;
  const reported = new Set<string>();
  const report = (window: number, phase: DevnetPhase, text: string) => {
    const key = `${window}:${phase}`;
    if (reported.has(key)) return;
    reported.add(key);
    onProgress({ window, phase, text });
  };
  /** Miners whose state shows they trained for `window` (training now, or past it). */
  const pastTraining = new Set<ReturnType<Miner['status']>['state']>(['training', 'uploading', 'committing']);
  const look = () => {
    const states = miners.map((m) => m.status());
    const evaluating = validator?.status();
    const committedBy = (window: number) =>
      states.filter((s) => s.lastCommittedWindow !== undefined && s.lastCommittedWindow >= window).length;
    const trainedFor = (window: number) =>
      states.filter(
        (s) =>
          (s.window === window && pastTraining.has(s.state)) ||
          (s.lastCommittedWindow !== undefined && s.lastCommittedWindow >= window),
      ).length;
    // A step may begin and end between two looks (a tiny model trains in well under a poll):
    // every window a miner has reached is reported from what its status still shows.
    const windows = new Set<number>();
    for (const s of states) {
      if (s.window !== undefined) windows.add(s.window);
      if (s.lastCommittedWindow !== undefined) windows.add(s.lastCommittedWindow);
    }
    for (const window of [...windows].sort((a, b) => a - b)) {
      const trained = trainedFor(window);
      if (trained > 0) report(window, 'train', `${trained}/${miners.length} miners training`);
      if (committedBy(window) === miners.length)
        report(window, 'commit', `${miners.length}/${miners.length} miners committed`);
    }
    if (evaluating === undefined) return;
    const scoring =
      evaluating.window !== undefined &&
      (evaluating.phase === 'evaluating' || evaluating.phase === 'publishing')
        ? evaluating.window
        : undefined;
    const done = evaluating.lastWindow;
    for (const window of [...windows, ...(scoring === undefined ? [] : [scoring])].sort((a, b) => a - b)) {
      if (window !== scoring && (done === undefined || window > done)) continue;
      report(window, 'train', `${trainedFor(window)}/${miners.length} miners training`);
      report(window, 'commit', `${committedBy(window)}/${miners.length} miners committed`);
      report(window, 'evaluate', 'validator scoring the updates against its reference');
      if (window === scoring && evaluating.phase === 'evaluating') continue;
      const verdicts = window === done || window === scoring ? evaluating.lastVerdicts : undefined;
      report(
        window,
        'aggregate',
        verdicts === undefined
          ? 'validator publishing the aggregate'
          : `validator publishing the aggregate (${verdicts.scored} scored, ${verdicts.rejected} rejected)`,
      );
    }
  };
  while (!signal.aborted) {
    look();
    await sleep(pollMs, signal).catch(() => undefined);
  }
}
