import type { SubnetTiming } from '../types.js';

/**
 * Tessera's clock on a Bittensor subnet when the operator sets none: 30-block windows
 * (6 minutes at 12 s blocks), 12 windows per epoch (360 blocks, about one mainnet tempo),
 * counted from block 0, with a 2-block grace after each window. Every participant of a subnet
 * must use the same values.
 *
 * @example
 * const timing = { ...DEFAULT_SUBTENSOR_TIMING, startBlock: 4_200_000 };
 */
export const DEFAULT_SUBTENSOR_TIMING: SubnetTiming = Object.freeze({
  startBlock: 0,
  blocksPerWindow: 30,
  windowsPerEpoch: 12,
  deadlineGraceBlocks: 2,
});
