import { readFileSync } from 'node:fs';
import { NonRetryableChainError } from '../errors/chain.js';
import { writeFileAtomicSync } from '../storage/writeFileAtomic.js';

/** Where weight commits wait for their reveal, keyed by commit hash. */
export type RevealStore<T extends { hash: string }> = {
  list(): T[];
  /** Adds `reveal`, replacing one with the same hash. */
  add(reveal: T): void;
  remove(hash: string): void;
};

/** Parameters of {@link createRevealStore}. */
export type CreateRevealStoreParameters<T extends { hash: string }> = {
  /** The JSON file; in memory without one. */
  path?: string | undefined;
  /** Checks one entry read back from the file (each backend passes its own record check). */
  isReveal: (value: unknown) => value is T;
};

/**
 * Keeps committed weights (uids, values, salt, and what the backend needs to reveal them) until
 * they are revealed. With a `path` every change is written to that JSON file (atomically,
 * owner-only) so a validator that restarts between commit and reveal can still reveal; without
 * one it lives in memory. Both chain backends use it, each with its own record type.
 *
 * @throws NonRetryableChainError `invalid-parameter` when the file exists but is not a reveal list.
 * @example
 * const store = createRevealStore({ path: '/var/lib/tessera/reveals.json', isReveal: isPendingReveal });
 */
export function createRevealStore<T extends { hash: string }>(
  parameters: CreateRevealStoreParameters<T>,
): RevealStore<T> {
  const { path, isReveal } = parameters;
  let reveals: T[] = path ? load(path, isReveal) : [];
  const save = () => {
    if (!path) return;
    writeFileAtomicSync({ path, bytes: `${JSON.stringify(reveals, null, 2)}\n`, mode: 0o600 });
  };
  return {
    list: () => reveals.map((r) => ({ ...r })),
    add: (reveal) => {
      reveals = [...reveals.filter((r) => r.hash !== reveal.hash), reveal];
      save();
    },
    remove: (hash) => {
      reveals = reveals.filter((r) => r.hash !== hash);
      save();
    },
  };
}

function load<T>(path: string, isReveal: (value: unknown) => value is T): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new NonRetryableChainError('invalid-parameter', 'Cannot read the weight reveal file.', {
      details: path,
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new NonRetryableChainError('invalid-parameter', 'The weight reveal file is not JSON.', {
      details: path,
      cause: error,
    });
  }
  if (!Array.isArray(parsed) || !parsed.every(isReveal)) {
    throw new NonRetryableChainError(
      'invalid-parameter',
      'The weight reveal file does not hold a list of pending reveals.',
      {
        details: path,
        hint: 'Move it away; weights committed with the salts it held can then no longer be revealed.',
      },
    );
  }
  return parsed;
}
