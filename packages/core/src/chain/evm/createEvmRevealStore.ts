import { createRevealStore } from '../createRevealStore.js';
import type { RevealStore } from '../createRevealStore.js';
import type { EvmPendingReveal } from './types.js';

const HEX32 = /^0x[0-9a-f]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * The EVM backend's reveal store: weight commits (epoch, uids, u16 values, salt) waiting for
 * their reveal in the next epoch, in the JSON file at `path` (owner-only, written atomically) or
 * in memory without one. Entries name their Subnet, so one file can serve several subnets.
 *
 * @throws NonRetryableChainError `invalid-parameter` when the file exists but is not a reveal list.
 * @example
 * const store = createEvmRevealStore({ path: '/var/lib/tessera/evm-reveals.json' });
 */
export function createEvmRevealStore(
  parameters: { path?: string | undefined } = {},
): RevealStore<EvmPendingReveal> {
  return createRevealStore<EvmPendingReveal>({ path: parameters.path, isReveal: isEvmPendingReveal });
}

function isEvmPendingReveal(value: unknown): value is EvmPendingReveal {
  const r = value as Partial<EvmPendingReveal> | null;
  const u16s = (xs: unknown) =>
    Array.isArray(xs) && xs.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff);
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.subnet === 'string' &&
    ADDRESS.test(r.subnet) &&
    typeof r.validator === 'string' &&
    ADDRESS.test(r.validator) &&
    Number.isSafeInteger(r.epoch) &&
    (r.epoch as number) >= 0 &&
    typeof r.hash === 'string' &&
    HEX32.test(r.hash) &&
    u16s(r.uids) &&
    u16s(r.values) &&
    (r.uids as number[]).length === (r.values as number[]).length &&
    typeof r.salt === 'string' &&
    HEX32.test(r.salt) &&
    Number.isSafeInteger(r.commitBlock)
  );
}
