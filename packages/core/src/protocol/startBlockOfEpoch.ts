import { startBlockOfWindow } from './startBlockOfWindow.js';
import { windowsOfEpoch } from './windowsOfEpoch.js';

/** Parameters of {@link startBlockOfEpoch}; hyperparameters may be spread in. */
export type StartBlockOfEpochParameters = {
  /** An epoch, 0 or more. */
  epoch: number;
  /** The subnet's first block. */
  startBlock: number;
  /** Blocks per window. */
  blocksPerWindow: number;
  /** Windows per epoch. */
  windowsPerEpoch: number;
};

/**
 * The first block of an epoch: the first block of its first window,
 * `startBlock + epoch · windowsPerEpoch · blocksPerWindow`. Weights committed in epoch `e`
 * are revealed from the start of `e + 1` and settle from the start of `e + 2`.
 *
 * @throws ProtocolParameterError for a non-integer or a result past 2^53 − 1.
 * @example
 * startBlockOfEpoch({ epoch: 2, startBlock: 1000, blocksPerWindow: 10, windowsPerEpoch: 6 }); // 1120
 */
export function startBlockOfEpoch(parameters: StartBlockOfEpochParameters): number {
  const { epoch, startBlock, blocksPerWindow, windowsPerEpoch } = parameters;
  const { first } = windowsOfEpoch({ epoch, windowsPerEpoch });
  return startBlockOfWindow({ window: first, startBlock, blocksPerWindow });
}
