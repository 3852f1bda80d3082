import type { Commitment } from '@tessera/core';

/** What {@link markDuplicates} splits a window's commitments into. */
export type MarkedCommitments<C extends Pick<Commitment, 'uid' | 'digest' | 'block'>> = {
  /** The first commitment of each digest, ascending by uid. */
  unique: C[];
  /** Every later commitment of a digest already seen, ascending by uid: rejected `duplicate`. */
  duplicates: C[];
};

/**
 * Applies the duplicate rule: a digest committed by several uids counts only for the
 * earliest commitment (lowest block, then lowest uid); the others are duplicates. Digests
 * compare case-insensitively.
 *
 * @returns The commitments to evaluate and the duplicates, each ascending by uid.
 * @example
 * const { unique, duplicates } = markDuplicates({ commitments: await chain.commitments({ window }) });
 */
export function markDuplicates<C extends Pick<Commitment, 'uid' | 'digest' | 'block'>>(parameters: {
  commitments: readonly C[];
}): MarkedCommitments<C> {
  const ordered = [...parameters.commitments].sort((a, b) => a.block - b.block || a.uid - b.uid);
  const seen = new Set<string>();
  const unique: C[] = [];
  const duplicates: C[] = [];
  for (const commitment of ordered) {
    const digest = commitment.digest.toLowerCase();
    (seen.has(digest) ? duplicates : unique).push(commitment);
    seen.add(digest);
  }
  const byUid = (a: C, b: C) => a.uid - b.uid;
  return { unique: unique.sort(byUid), duplicates: duplicates.sort(byUid) };
}
