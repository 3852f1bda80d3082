import { assertInteger, safeResult } from './assertInteger.js';
import { startBlockOfWindow } from './startBlockOfWindow.js';

/** Parameters of {@link deadlineOfWindow}; hyperparameters may be spread in. */
export type DeadlineOfWindowParameters = {
  /** A window, 0 or more. */
  window: number;
  /** The subnet's first block. */
  startBlock: number;
  /** Blocks per window. */
  blocksPerWindow: number;
  /** Blocks after the next window's start that commitments still count. */
  deadlineGraceBlocks: number;
};

/**
 * The deadline of a window: the first block of window `w + 1` plus the grace. A commitment
 * for `w` counts only if a block before the deadline includes it.
 *
 * @throws ProtocolParameterError for a non-integer or a result past 2^53 − 1.
 * @example
 * deadlineOfWindow({ window: 23, startBlock: 1000, blocksPerWindow: 10, deadlineGraceBlocks: 2 }); // 1242
 */
export function deadlineOfWindow(parameters: DeadlineOfWindowParameters): number {
  const { window, startBlock, blocksPerWindow, deadlineGraceBlocks } = parameters;
  assertInteger('window', window, 0);
  assertInteger('deadlineGraceBlocks', deadlineGraceBlocks, 0);
  const next = startBlockOfWindow({
    window: safeResult('window + 1', window + 1),
    startBlock,
    blocksPerWindow,
  });
  return safeResult('deadlineOfWindow', next + deadlineGraceBlocks);
}
