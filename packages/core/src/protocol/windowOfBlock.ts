import { ProtocolParameterError } from '../errors/protocol.js';
import { assertInteger } from './assertInteger.js';

/** Parameters of {@link windowOfBlock}; hyperparameters may be spread in. */
export type WindowOfBlockParameters = {
  /** A chain block number, at or after `startBlock`. */
  block: number;
  /** The subnet's first block. */
  startBlock: number;
  /** Blocks per window. */
  blocksPerWindow: number;
};

/**
 * The window a block belongs to: `⌊(block − startBlock) / blocksPerWindow⌋`.
 * Blocks are safe integers throughout the protocol.
 *
 * @throws ProtocolParameterError for a non-integer or a block before `startBlock`.
 * @example
 * windowOfBlock({ block: 1234, startBlock: 1000, blocksPerWindow: 10 }); // 23
 */
export function windowOfBlock(parameters: WindowOfBlockParameters): number {
  const { block, startBlock, blocksPerWindow } = parameters;
  assertInteger('startBlock', startBlock, 0);
  assertInteger('blocksPerWindow', blocksPerWindow, 1);
  assertInteger('block', block, 0);
  if (block < startBlock) {
    throw new ProtocolParameterError('block', 'The block precedes the subnet start block.', {
      details: `${block} < ${startBlock}`,
    });
  }
  return Math.floor((block - startBlock) / blocksPerWindow);
}
