import type { Address, Hex32 } from '../types.js';
import type { CommitmentEntry, TesseraRecord } from './types.js';

/** Parameters of {@link runConfigHashOf}. */
export type RunConfigHashOfParameters = {
  /**
   * The subnet owner's hotkey (`SubtensorModule.SubnetOwnerHotkey(netuid)`), `0x` + 64 hex;
   * undefined where the runtime has no such item. The zero account, which the item reads as
   * while no owner hotkey is set, names nobody.
   */
  ownerHotkey: Address | undefined;
  /** Commitments on the subnet, each with the hotkey that wrote it. */
  entries: ReadonlyArray<{ hotkey: CommitmentEntry['hotkey']; records: readonly TesseraRecord[] }>;
};

const ZERO_ACCOUNT = /^0x0{64}$/;

/**
 * The run config hash a subnet on Bittensor records: the `run-config` record in the
 * commitment of the subnet owner's hotkey. Every registered hotkey writes its own commitment,
 * so a `run-config` record anywhere else is ignored: a miner cannot change the config the
 * other roles check theirs against.
 *
 * @returns The hash (lowercase hex), or undefined when there is no owner hotkey, the owner
 *   has no commitment among `entries`, or its commitment holds no `run-config` record.
 * @example
 * const recorded = runConfigHashOf({ ownerHotkey, entries: [{ hotkey: ownerHotkey, records }] });
 */
export function runConfigHashOf(parameters: RunConfigHashOfParameters): Hex32 | undefined {
  const owner = parameters.ownerHotkey?.toLowerCase();
  if (owner === undefined || ZERO_ACCOUNT.test(owner)) return undefined;
  const entry = parameters.entries.find((e) => e.hotkey.toLowerCase() === owner);
  const record = entry?.records.find((r) => r.kind === 'run-config');
  return record === undefined ? undefined : (record.hash.toLowerCase() as Hex32);
}
