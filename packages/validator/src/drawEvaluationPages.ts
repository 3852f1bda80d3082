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
  checkSeed(evalSeed);
  const seedOf = (label: string) => labelledSeed(evalSeed, label);
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

function checkSeed(evalSeed: string): void {
  if (typeof evalSeed !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(evalSeed)) {
    throw new ValidatorError('invalid-parameter', 'evalSeed must be 0x and 64 hex digits.', {
      details: String(evalSeed),
    });
  }
}

/** `keccak256(evalSeed ‖ label)`: the seed of one of the window's private draws. */
function labelledSeed(evalSeed: `0x${string}`, label: string): Uint8Array {
  const tag = new TextEncoder().encode(label);
  const input = new Uint8Array(32 + tag.length);
  input.set(hexToBytes(evalSeed.slice(2)), 0);
  input.set(tag, 32);
  return keccak_256(input);
}

/** Parameters of {@link sampleOwnPages}. */
export type SampleOwnPagesParameters = {
  /** The window's evaluation seed (`deriveEvalSeed`). */
  evalSeed: `0x${string}`;
  uid: number;
  /** The uid's assigned pages (`assignWork`). */
  pages: readonly number[];
  /** Pages to keep (`proofPages`); all of them when at least `pages.length`. */
  count: number;
};

/**
 * The assigned pages an update's own-page gain is measured on: `count` of the uid's pages,
 * drawn from `keccak256(evalSeed ‖ "own " ‖ uid)`, in assignment order; all of them when
 * `count` covers them. Measuring a sample keeps evaluation cheap when a window assigns many
 * pages, and since the seed did not exist when the miner committed, it could not know which
 * pages would be read: skipping some of its pages shows in the sample as it would in all of
 * them.
 *
 * @returns The sample.
 * @throws ValidatorError `invalid-parameter` for a bad seed, uid or count.
 * @example
 * const own = sampleOwnPages({ evalSeed, uid, pages: assignment.pages, count: h.proofPages });
 */
export function sampleOwnPages(parameters: SampleOwnPagesParameters): number[] {
  const { evalSeed, uid, pages, count } = parameters;
  checkSeed(evalSeed);
  if (!Number.isSafeInteger(uid) || uid < 0 || !Number.isSafeInteger(count) || count < 1) {
    throw new ValidatorError(
      'invalid-parameter',
      'uid must be a non-negative integer and count a positive one.',
      {
        details: `uid ${uid}, count ${count}`,
      },
    );
  }
  if (count >= pages.length) return [...pages];
  const chosen = randomPages({ seed: labelledSeed(evalSeed, `own ${uid}`), count, pageCount: pages.length });
  return chosen.sort((a, b) => a - b).map((index) => pages[index]!);
}
