import type { CreateSubtensorChainParameters, SubtensorChain } from './types.js';

/**
 * Connects to a Bittensor (subtensor) node and returns Tessera's `SubnetChain` for one subnet,
 * backed by SubtensorModule storage and calls and by the commitments pallet.
 *
 * - Metagraph: `Keys`, `ValidatorPermit`, `Incentive`, `Dividends`, `BlockAtRegistration`,
 *   stake from `TotalHotkeyAlpha` or `TotalHotkeyStake` (whichever the runtime has).
 *   Addresses are hotkeys' 32-byte public keys as `0x` hex.
 * - `subnetId`: `subtensor:<genesis hash>:<netuid>`.
 * - Commitments, aggregates and checkpoints: Tessera records in the hotkey's commitment
 *   (`commitments.set_commitment`), read back from `CommitmentOf` as of the deadline's block.
 * - Weights: `set_weights`, or `commit_weights` then `reveal_weights` when the subnet has
 *   commit-reveal on (salts kept in `revealStatePath`). `revealedWeights` reads
 *   `SubtensorModule.Weights` now: subtensor keeps no per-epoch history, so it is the current
 *   state (the last revealed, or set, weights) whatever epoch is asked for.
 * - Aggregates carry their norm bound as a little-endian float32 in the record (layout version 2).
 * - Registration: `burned_register` (the coldkey pays); validators then `add_stake`. A hotkey
 *   that holds a uid already gets `already-registered` with it, and nothing is sent.
 * - One update per hotkey and window, one aggregate per validator and window, as on EVM: a
 *   second `commit` or `publishAggregate` for a window whose record the hotkey's commitment
 *   still holds returns `already-committed` / `already-published` without sending.
 * - Emissions come from Bittensor's own Yuma consensus: `settleEpoch` returns `settled-by-chain`,
 *   `rewards().claimable` is the hotkey's stake on the subnet, `claim` is unsupported.
 *
 * @polkadot/api is loaded on the first call, so importing `@tessera/core` stays cheap for
 * processes that use the EVM backend. See docs/subtensor.md.
 *
 * @returns The chain; call `disconnect()` when done.
 * @throws ChainError `invalid-parameter`, `bad-signer`, `unsupported-runtime`, `not-found`
 *   (no such subnet), or `connection` when the node cannot be reached.
 * @example
 * const chain = await createSubtensorChain({ wsUrl: 'ws://127.0.0.1:9944', netuid: 2, signer: '//Alice' });
 * const { neurons } = await chain.metagraph();
 * await chain.disconnect();
 */
export async function createSubtensorChain(
  parameters: CreateSubtensorChainParameters,
): Promise<SubtensorChain> {
  const { openSubtensorChain } = await import('./openSubtensorChain.js');
  return openSubtensorChain(parameters);
}
