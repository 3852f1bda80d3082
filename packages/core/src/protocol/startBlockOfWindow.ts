import { assertInteger, safeResult } from './assertInteger.js';

/** Parameters of {@link startBlockOfWindow}; hyperparameters may be spread in. */
export type StartBlockOfWindowParameters = {
  /** A window, 0 or more. */
  window: number;
  /** The subnet's first block. */
  startBlock: number;
  /** Blocks per window. */
  blocksPerWindow: number;
};

/**
 * The first block of a window: `startBlock + window · blocksPerWindow`. Its hash seeds the
 * window's assignments.
 *
 * @throws ProtocolParameterError for a non-integer or a result past 2^53 − 1.
 * @example
 * startBlockOfWindow({ window: 23, startBlock: 1000, blocksPerWindow: 10 }); // 1230
 */
export function startBlockOfWindow(parameters: StartBlockOfWindowParameters): number {
  const { window, startBlock, blocksPerWindow } = parameters;
  assertInteger('window', window, 0);
  assertInteger('startBlock', startBlock, 0);
  assertInteger('blocksPerWindow', blocksPerWindow, 1);
  return safeResult(
    'startBlockOfWindow',
    startBlock + safeResult('window · blocksPerWindow', window * blocksPerWindow),
  );
}
