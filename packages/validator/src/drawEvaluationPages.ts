import { keccak_256 } from '@noble/hashes/sha3.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { randomPages } from '@tessera/core';
import { ValidatorError } from './errors/validator.js';

/** Parameters of {@link drawEvaluationPages}. */
export type DrawEvaluationPagesParameters = {
  /** The window's evaluation seed (`deriveEvalSeed`). */
  evalSeed: `0x${string}`;
  /** Pages in the training split (`corpus.trainPageCount`). */
  trainPageCount: number;
  /** Pages in the held-out split (`corpus.heldOutPageCount`). */
  heldOutPageCount: number;
  /** Random training pages to draw (`evalPages`). */
  randomCount: number;
  /** Held-out pages to draw (`heldOutPages`). */
  heldOutCount: number;
  /** The miner's assigned pages: never drawn as random pages. */
  ownPages: readonly number[];
};

/** The pages an update is measured on besides the miner's own. */
export type EvaluationPages = {
  /** Training pages the miner was not assigned. */
  random: number[];
  /** Held-out pages (indices into the held-out split). */
  heldOut: number[];
};

/**
 * Draws the random training pages and the held-out pages of an evaluation. Each list comes
 * from its own stream, `keccak256(evalSeed ‖ "random")` and `keccak256(evalSeed ‖ "held-out")`,
 * so every miner of a window is measured on the same held-out pages and, its own pages
 * aside, the same random ones: scores within a window compare like with like.
 *
 * @returns The two page lists, in draw order.
 * @throws ValidatorError `invalid_parameter` for a bad seed; DataError when a split is too small.
 * @example
 * const { random, heldOut } = drawEvaluationPages({ evalSeed, trainPageCount, heldOutPageCount, randomCount: 4, heldOutCount: 4, ownPages });
 */
export function drawEvaluationPages(parameters: DrawEvaluationPagesParameters): EvaluationPages {
  const { evalSeed } = parameters;
  if (typeof evalSeed !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(evalSeed)) {
    throw new ValidatorError('invalid_parameter', 'evalSeed must be 0x and 64 hex digits.', {
      details: String(evalSeed),
    });
  }
  const seedOf = (label: string) => {
    const tag = new TextEncoder().encode(label);
    const input = new Uint8Array(32 + tag.length);
    input.set(hexToBytes(evalSeed.slice(2)), 0);
    input.set(tag, 32);
    return keccak_256(input);
  };
  return {
    random: randomPages({
      seed: seedOf('random'),
      count: parameters.randomCount,
      pageCount: parameters.trainPageCount,
      exclude: parameters.ownPages,
    }),
    heldOut: randomPages({
      seed: seedOf('held-out'),
      count: parameters.heldOutCount,
      pageCount: parameters.heldOutPageCount,
    }),
  };
}
