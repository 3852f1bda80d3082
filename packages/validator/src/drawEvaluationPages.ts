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
  /** Unseen pages to draw: what every update is scored on (`evalPages`). */
  unseenCount: number;
  /** Pages the validator's reference update trains on (`pagesPerWindow`). */
  referenceCount: number;
  /** Every page assigned to any miner of the window: never drawn. */
  assignedPages: Iterable<number>;
};

/** The validator's private pages of a window. */
export type EvaluationPages = {
  /** Training pages no miner was assigned in the window: every update is scored on these. */
  unseen: number[];
  /** Training pages no miner was assigned, none of them unseen: the reference update's. */
  reference: number[];
};

/**
 * Draws a window's private evaluation pages from the evaluation seed: first the unseen
 * pages from the stream `keccak256(evalSeed ‖ "unseen")`, then the reference pages from
 * `keccak256(evalSeed ‖ "reference")`, both from the training split with every page
 * assigned to any miner of the window left out (and the reference pages also outside the
 * unseen ones). The seed did not exist when the miners committed and holds the validator's
 * secret, so no miner can train for these pages; and since no miner was assigned them,
 * training on another miner's pages does not help either.
 *
 * @returns The two page lists, in draw order.
 * @throws ValidatorError `invalid-parameter` for a bad seed; DataError when too few pages remain.
 * @example
 * const { unseen, reference } = drawEvaluationPages({ evalSeed, trainPageCount, unseenCount: 4, referenceCount: 4, assignedPages });
 */
export function drawEvaluationPages(parameters: DrawEvaluationPagesParameters): EvaluationPages {
  const { evalSeed } = parameters;
  if (typeof evalSeed !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(evalSeed)) {
    throw new ValidatorError('invalid-parameter', 'evalSeed must be 0x and 64 hex digits.', {
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
  const assigned = [...new Set(parameters.assignedPages)];
  const unseen = randomPages({
    seed: seedOf('unseen'),
    count: parameters.unseenCount,
    pageCount: parameters.trainPageCount,
    exclude: assigned,
  });
  const reference = randomPages({
    seed: seedOf('reference'),
    count: parameters.referenceCount,
    pageCount: parameters.trainPageCount,
    exclude: [...assigned, ...unseen],
  });
  return { unseen, reference };
}
