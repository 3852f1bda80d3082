import { DataError } from '../errors/data.js';
import { checkInteger, drawDistinct } from './assignWork.js';
import { createKeccakStream } from './createKeccakStream.js';

/** Parameters of {@link randomPages}. */
export type RandomPagesParameters = {
  /** 32 bytes of randomness, or `0x` and 64 hex digits (a validator's own, or derived from a block hash). */
  seed: Uint8Array | `0x${string}`;
  /** Pages to draw. */
  count: number;
  /** Size of the range drawn from, e.g. `corpus.trainPageCount`. */
  pageCount: number;
  /** Pages that must not be drawn, e.g. the miner's own assignment. */
  exclude?: readonly number[] | undefined;
};

/**
 * Draws distinct random pages for evaluation: the validator's "random data" batch, pages
 * of the training split the miner was not told to train on. Same stream and shuffle as
 * `assignWork`, seeded directly by `seed`.
 *
 * @returns `count` distinct page indices in `[0, pageCount)`, none in `exclude`, in draw order.
 * @throws DataError `invalid-parameter` for a bad seed, or when fewer than `count` pages remain.
 * @example
 * const pages = randomPages({ seed: randomBytes(32), count: 8, pageCount: corpus.trainPageCount, exclude: assignment.pages });
 */
export function randomPages(parameters: RandomPagesParameters): number[] {
  const { count, pageCount } = parameters;
  checkInteger('pageCount', pageCount, 1, 2 ** 32);
  checkInteger('count', count, 0, pageCount);
  const exclude = new Set((parameters.exclude ?? []).filter((page) => page >= 0 && page < pageCount));
  if (count > pageCount - exclude.size) {
    throw new DataError('invalid-parameter', 'Not enough pages left to draw from.', {
      details: `count ${count}, ${pageCount - exclude.size} pages outside exclude`,
    });
  }
  return drawDistinct(createKeccakStream({ seed: parameters.seed }), pageCount, count, exclude);
}
