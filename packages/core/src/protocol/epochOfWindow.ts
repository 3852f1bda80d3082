import { assertInteger } from './assertInteger.js';

/** Parameters of {@link epochOfWindow}; hyperparameters may be spread in. */
export type EpochOfWindowParameters = {
  /** A window, 0 or more. */
  window: number;
  /** Windows per epoch. */
  windowsPerEpoch: number;
};

/**
 * The epoch a window belongs to: `⌊window / windowsPerEpoch⌋`. Windows count from the
 * subnet's start block, so epochs do too.
 *
 * @throws ProtocolParameterError for a non-integer.
 * @example
 * epochOfWindow({ window: 23, windowsPerEpoch: 10 }); // 2
 */
export function epochOfWindow(parameters: EpochOfWindowParameters): number {
  const { window, windowsPerEpoch } = parameters;
  assertInteger('window', window, 0);
  assertInteger('windowsPerEpoch', windowsPerEpoch, 1);
  return Math.floor(window / windowsPerEpoch);
}
