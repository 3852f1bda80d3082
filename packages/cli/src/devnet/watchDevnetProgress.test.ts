import type { Miner } from '@tessera/miner';
import type { Validator } from '@tessera/validator';
import { watchDevnetProgress } from './watchDevnetProgress.js';

type MinerStatus = ReturnType<Miner['status']>;
type ValidatorStatus = ReturnType<Validator['status']>;

/** A role whose status() is whatever the test last set: the watcher reads nothing else. */
function role<S>(initial: Partial<S>) {
  let current = initial;
  return {
    set(next: Partial<S>) {
      current = { ...current, ...next };
    },
    status: () => current as S,
  };
}

/** Runs the watcher over two miners and a validator while `script` moves them, one step a poll or more. */
async function watch(
  script: (roles: {
    miners: ReturnType<typeof role<MinerStatus>>[];
    validator: ReturnType<typeof role<ValidatorStatus>>;
    poll: () => Promise<void>;
  }) => Promise<void>,
): Promise<string[]> {
  const miners = [0, 1].map(() => role<MinerStatus>({ state: 'waiting' }));
  const validator = role<ValidatorStatus>({ phase: 'waiting' });
  const seen: string[] = [];
  const controller = new AbortController();
  const watching = watchDevnetProgress({
    miners: miners as unknown as Miner[],
    validators: [validator as unknown as Validator],
    onProgress: (p) => void seen.push(`${p.window} ${p.phase}: ${p.text}`),
    signal: controller.signal,
    pollMs: 5,
  });
  const poll = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
  await script({ miners, validator, poll });
  await poll();
  controller.abort();
  await watching;
  return seen;
}

describe('watchDevnetProgress', () => {
  it('reports each step of a window once, in order, as the roles go through them', async () => {
    const seen = await watch(async ({ miners, validator, poll }) => {
      for (const m of miners) m.set({ window: 0, state: 'training' });
      await poll();
      for (const m of miners) m.set({ state: 'waiting', lastCommittedWindow: 0 });
      await poll();
      validator.set({ window: 0, phase: 'evaluating' });
      await poll();
      validator.set({ phase: 'publishing', lastVerdicts: { scored: 2, rejected: 0 } });
      await poll();
      validator.set({ phase: 'waiting', lastWindow: 0 });
    });
    expect(seen).toEqual([
      '0 train: 2/2 miners training',
      '0 commit: 2/2 miners committed',
      '0 evaluate: validator scoring the updates against its reference',
      '0 aggregate: validator publishing the aggregate (2 scored, 0 rejected)',
    ]);
  });

  it('still reports the steps a window went through between two looks', async () => {
    const seen = await watch(async ({ miners, validator, poll }) => {
      // Window 1 trained, committed, was scored and published while nobody looked.
      for (const m of miners) m.set({ window: 1, state: 'waiting', lastCommittedWindow: 1 });
      validator.set({ window: 2, phase: 'waiting', lastWindow: 1, lastVerdicts: { scored: 1, rejected: 1 } });
      await poll();
    });
    expect(seen).toEqual([
      '1 train: 2/2 miners training',
      '1 commit: 2/2 miners committed',
      '1 evaluate: validator scoring the updates against its reference',
      '1 aggregate: validator publishing the aggregate (1 scored, 1 rejected)',
    ]);
  });

  it('says how many miners committed when the validator starts before all did', async () => {
    const seen = await watch(async ({ miners, validator, poll }) => {
      miners[0]!.set({ window: 0, state: 'committing' });
      miners[1]!.set({ window: 0, state: 'waiting', lastCommittedWindow: 0 });
      await poll();
      validator.set({ window: 0, phase: 'evaluating' });
    });
    expect(seen).toEqual([
      '0 train: 2/2 miners training',
      '0 commit: 1/2 miners committed',
      '0 evaluate: validator scoring the updates against its reference',
    ]);
  });
});
