import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DataError } from '../errors/data.js';

/**
 * What a corpus and the roles need of any tokenizer: the trained one ({@link Tokenizer}) or
 * GPT-2's (`createGpt2Tokenizer`).
 */
export type TextTokenizer = {
  /** Number of token ids; every id is below it. */
  readonly vocabSize: number;
  /** A digest of the vocabulary: two tokenizers with the same id split every text the same way. */
  readonly id: `0x${string}`;
  /** Text to token ids. */
  encode(text: string): Int32Array;
  /** Token ids back to text (invalid UTF-8 byte runs become U+FFFD). */
  decode(ids: ArrayLike<number>): string;
};

/** A byte-level BPE tokenizer: 256 byte tokens, then one token per merge. */
export type Tokenizer = TextTokenizer & {
  /** `256 + merges.length`. */
  readonly vocabSize: number;
  /** Merge `i` joins tokens `[left, right]` into token `256 + i`. */
  readonly merges: readonly (readonly [number, number])[];
  /**
   * keccak256 of the merge list (u32 LE vocabSize, then each merge as two u32 LE): two
   * tokenizers with the same id split every text the same way.
   */
  readonly id: `0x${string}`;
};

/** Parameters of {@link createTokenizer}. */
export type CreateTokenizerParameters = {
  /** The merge list, as trained by `trainTokenizer` or read from a cache. */
  merges: readonly (readonly [number, number])[];
};

/**
 * How text is cut into chunks before merging: a contraction suffix, a run of letters, of
 * digits, or of other symbols, each with at most one leading space; runs of white space.
 * Merges never cross a chunk boundary.
 */
export const pretokenizePattern =
  /'(?:s|t|re|ve|m|ll|d)| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+/g;

/** Pair key: both token ids fit in 20 bits. */
const pairKey = (left: number, right: number) => left * 1048576 + right;

/** Largest vocabulary a tokenizer may have. */
export const maxVocabSize = 1 << 20;

/**
 * Builds a byte-level BPE tokenizer from its merge list. Encoding cuts text into chunks
 * ({@link pretokenizePattern}), turns each into UTF-8 bytes and applies merges lowest rank
 * first; chunks are memoized, so encoding a whole corpus costs little more than one pass.
 *
 * @returns The tokenizer.
 * @throws DataError `invalid-parameter` when a merge names a token that does not exist yet.
 * @example
 * const tokenizer = createTokenizer({ merges: cached.merges });
 * tokenizer.decode(tokenizer.encode('The jury said.')); // 'The jury said.'
 */
export function createTokenizer(parameters: CreateTokenizerParameters): Tokenizer {
  const merges = parameters.merges.map(([left, right], i) => {
    const next = 256 + i;
    if (!(
      Number.isInteger(left) &&
      Number.isInteger(right) &&
      left >= 0 &&
      right >= 0 &&
      left < next &&
      right < next
    )) {
      throw new DataError('invalid-parameter', 'Tokenizer merge names a token that does not exist yet.', {
        details: `merge ${i}: [${left}, ${right}]`,
      });
    }
    return Object.freeze([left, right] as const);
  });
  const vocabSize = 256 + merges.length;
  if (vocabSize > maxVocabSize) {
    throw new DataError('invalid-parameter', 'Tokenizer vocabulary is too large.', {
      details: `${vocabSize}`,
    });
  }
  const ranks = new Map<number, number>();
  merges.forEach(([left, right], i) => ranks.set(pairKey(left, right), i));

  // The bytes each token stands for.
  const pieces: Uint8Array[] = Array.from({ length: 256 }, (_, byte) => Uint8Array.of(byte));
  for (const [left, right] of merges) {
    const a = pieces[left] as Uint8Array;
    const b = pieces[right] as Uint8Array;
    const joined = new Uint8Array(a.length + b.length);
    joined.set(a, 0);
    joined.set(b, a.length);
    pieces.push(joined);
  }

  const memo = new Map<string, number[]>();
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8');

  const encodeChunk = (chunk: string): number[] => {
    const cached = memo.get(chunk);
    if (cached !== undefined) return cached;
    let symbols = Array.from(encoder.encode(chunk));
    while (symbols.length > 1) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = ranks.get(pairKey(symbols[i] as number, symbols[i + 1] as number));
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best === -1) break;
      const [left, right] = merges[bestRank] as readonly [number, number];
      const merged: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
          merged.push(256 + bestRank);
          i++;
        } else {
          merged.push(symbols[i] as number);
        }
      }
      symbols = merged;
    }
    if (memo.size < 1 << 20) memo.set(chunk, symbols);
    return symbols;
  };

  return Object.freeze({
    vocabSize,
    merges: Object.freeze(merges),
    id: tokenizerId(vocabSize, merges),
    encode(text: string): Int32Array {
      const ids: number[] = [];
      for (const match of text.matchAll(pretokenizePattern)) {
        for (const id of encodeChunk(match[0])) ids.push(id);
      }
      return Int32Array.from(ids);
    },
    decode(ids: ArrayLike<number>): string {
      let length = 0;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        const piece = pieces[id];
        if (!Number.isInteger(id) || piece === undefined) {
          throw new DataError('bad-tokens', 'Token id outside the vocabulary.', {
            details: `ids[${i}] = ${id}, vocabSize ${vocabSize}`,
          });
        }
        length += piece.length;
      }
      const bytes = new Uint8Array(length);
      let offset = 0;
      for (let i = 0; i < ids.length; i++) {
        const piece = pieces[ids[i] as number] as Uint8Array;
        bytes.set(piece, offset);
        offset += piece.length;
      }
      return decoder.decode(bytes);
    },
  });
}

function tokenizerId(vocabSize: number, merges: readonly (readonly [number, number])[]): `0x${string}` {
  const words = new Uint32Array(1 + 2 * merges.length);
  const view = new DataView(words.buffer);
  view.setUint32(0, vocabSize, true);
  merges.forEach(([left, right], i) => {
    view.setUint32(4 + 8 * i, left, true);
    view.setUint32(8 + 8 * i, right, true);
  });
  return `0x${bytesToHex(keccak_256(new Uint8Array(words.buffer)))}`;
}
