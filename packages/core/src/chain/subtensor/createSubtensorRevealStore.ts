import { createRevealStore } from '../createRevealStore.js';
import type { RevealStore } from '../createRevealStore.js';
import type { PendingReveal } from './types.js';

/**
 * The subtensor backend's reveal store: weight commits (uids, u16 values, salt, version key and
 * reveal blocks) waiting for their reveal, in the JSON file at `path` (owner-only, written
 * atomically) or in memory without one. Entries name their netuid.
 *
 * @throws NonRetryableChainError `invalid-parameter` when the file exists but is not a reveal list.
 * @example
 * const store = createSubtensorRevealStore({ path: '/var/lib/tessera/reveals.json' });
 */
export function createSubtensorRevealStore(
  parameters: { path?: string | undefined } = {},
): RevealStore<PendingReveal> {
  return createRevealStore<PendingReveal>({ path: parameters.path, isReveal: isPendingReveal });
}

function isPendingReveal(value: unknown): value is PendingReveal {
  const r = value as Partial<PendingReveal> | null;
  const ints = (xs: unknown) =>
    Array.isArray(xs) && xs.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff);
  return (
    typeof r === 'object' &&
    r !== null &&
    Number.isInteger(r.netuid) &&
    typeof r.hash === 'string' &&
    /^0x[0-9a-f]{64}$/.test(r.hash) &&
    ints(r.uids) &&
    ints(r.values) &&
    ints(r.salt) &&
    typeof r.versionKey === 'string' &&
    /^\d+$/.test(r.versionKey) &&
    Number.isInteger(r.commitBlock) &&
    Number.isInteger(r.firstRevealBlock) &&
    Number.isInteger(r.lastRevealBlock)
  );
}
