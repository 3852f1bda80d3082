import { DataError } from '../errors/data.js';
import { createTokenizer, maxVocabSize, pretokenizePattern } from './createTokenizer.js';
import type { Tokenizer } from './createTokenizer.js';

/** Parameters of {@link trainTokenizer}. */
export type TrainTokenizerParameters = {
  /** The training texts; their order does not change the result. */
  texts: readonly string[];
  /** Vocabulary size wanted: 256 byte tokens plus `vocabSize - 256` merges. */
  vocabSize: number;
};

/**
 * Trains a byte-level BPE tokenizer: starting from the 256 bytes, repeatedly merges the
 * most frequent adjacent pair of tokens inside chunks (see `pretokenizePattern`) until the
 * vocabulary has `vocabSize` tokens.
 *
 * Deterministic on every machine: counts are integers, and ties go to the pair with the
 * smaller (left, right) ids. Pair counts are updated incrementally and the best pair comes
 * from a heap, so 8,000 merges over the Brown Corpus take a few seconds.
 *
 * @returns The tokenizer (fewer merges than asked only if the texts run out of pairs).
 * @throws DataError `invalid-parameter` for a vocabulary size below 256 or above 2^20.
 * @example
 * const tokenizer = trainTokenizer({ texts: documents.map((d) => d.text), vocabSize: 512 });
 */
export function trainTokenizer(parameters: TrainTokenizerParameters): Tokenizer {
  const { texts, vocabSize } = parameters;
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 256 || vocabSize > maxVocabSize) {
    throw new DataError('invalid-parameter', 'vocabSize must be an integer from 256 to 2^20.', {
      details: `vocabSize: ${vocabSize}`,
    });
  }

  // Chunk frequencies, then the chunks in a canonical order.
  const frequency = new Map<string, number>();
  for (const text of texts) {
    for (const match of text.matchAll(pretokenizePattern)) {
      frequency.set(match[0], (frequency.get(match[0]) ?? 0) + 1);
    }
  }
  const chunks = [...frequency.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const encoder = new TextEncoder();
  const words = chunks.map((chunk) => Array.from(encoder.encode(chunk)));
  const counts = chunks.map((chunk) => frequency.get(chunk) as number);

  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap = createPairHeap();
  const addPairs = (w: number, sign: 1 | -1, touched: Set<number>) => {
    const symbols = words[w] as number[];
    const count = (counts[w] as number) * sign;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = (symbols[i] as number) * 1048576 + (symbols[i + 1] as number);
      pairCount.set(key, (pairCount.get(key) ?? 0) + count);
      if (sign === 1) {
        let set = pairWords.get(key);
        if (set === undefined) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
      touched.add(key);
    }
  };

  const initial = new Set<number>();
  words.forEach((_, w) => addPairs(w, 1, initial));
  for (const key of initial) heap.push(pairCount.get(key) as number, key);

  const merges: [number, number][] = [];
  while (256 + merges.length < vocabSize) {
    const best = heap.popBest((key, count) => pairCount.get(key) === count && count > 0);
    if (best === undefined) break;
    const left = Math.floor(best / 1048576);
    const right = best % 1048576;
    const id = 256 + merges.length;
    merges.push([left, right]);

    const touched = new Set<number>();
    for (const w of pairWords.get(best) ?? []) {
      const symbols = words[w] as number[];
      let present = false;
      for (let i = 0; i + 1 < symbols.length && !present; i++)
        present = symbols[i] === left && symbols[i + 1] === right;
      if (!present) continue;
      addPairs(w, -1, touched);
      const merged: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
          merged.push(id);
          i++;
        } else {
          merged.push(symbols[i] as number);
        }
      }
      words[w] = merged;
      addPairs(w, 1, touched);
    }
    pairWords.delete(best);
    for (const key of touched) {
      const count = pairCount.get(key) as number;
      if (count <= 0) {
        pairCount.delete(key);
        pairWords.delete(key);
      } else {
        heap.push(count, key);
      }
    }
  }
  return createTokenizer({ merges });
}

/**
 * A max-heap of (count, pair key), larger count first, then smaller key. Entries go stale
 * when a count changes; `popBest` skips those.
 */
function createPairHeap() {
  const counts: number[] = [];
  const keys: number[] = [];
  const before = (i: number, j: number) =>
    (counts[i] as number) > (counts[j] as number) ||
    (counts[i] === counts[j] && (keys[i] as number) < (keys[j] as number));
  const swap = (i: number, j: number) => {
    [counts[i], counts[j]] = [counts[j] as number, counts[i] as number];
    [keys[i], keys[j]] = [keys[j] as number, keys[i] as number];
  };
  const pop = () => {
    const last = counts.length - 1;
    swap(0, last);
    const top = { count: counts.pop() as number, key: keys.pop() as number };
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < counts.length && before(l, m)) m = l;
      if (r < counts.length && before(r, m)) m = r;
      if (m === i) break;
      swap(i, m);
      i = m;
    }
    return top;
  };
  return {
    push(count: number, key: number) {
      counts.push(count);
      keys.push(key);
      for (let i = counts.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (!before(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    },
    /** Pops entries until one is current; returns its key. */
    popBest(current: (key: number, count: number) => boolean): number | undefined {
      while (counts.length > 0) {
        const { count, key } = pop();
        if (current(key, count)) return key;
      }
      return undefined;
    },
  };
}
