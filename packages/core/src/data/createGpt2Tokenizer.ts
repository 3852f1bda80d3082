import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Tiktoken } from 'js-tiktoken/lite';
import gpt2Ranks from 'js-tiktoken/ranks/gpt2';
import { DataError } from '../errors/data.js';
import type { TextTokenizer } from './createTokenizer.js';

/** GPT-2's tokenizer: its vocabulary size and its end-of-text token. */
export type Gpt2Tokenizer = TextTokenizer & {
  readonly name: 'gpt2';
  /** 50257. */
  readonly vocabSize: number;
  /** `<|endoftext|>`, 50256: written after every document of a dataset. */
  readonly endOfText: number;
};

let shared: Gpt2Tokenizer | undefined;

/**
 * GPT-2's byte-level BPE (50,257 tokens, OpenAI's `gpt2` ranks as `js-tiktoken` bundles
 * them, so it works offline). Text is encoded as plain text: a literal `<|endoftext|>` in
 * a document is not turned into the special token. The id is keccak256 of the ranks file,
 * so a changed vocabulary cannot pass for GPT-2's.
 *
 * @returns The tokenizer (one shared instance; the ranks take ~0.3 s to load).
 * @example
 * const tokenizer = createGpt2Tokenizer();
 * tokenizer.encode('Hello world'); // Int32Array [15496, 995]
 */
export function createGpt2Tokenizer(): Gpt2Tokenizer {
  if (shared !== undefined) return shared;
  const tiktoken = new Tiktoken(gpt2Ranks);
  const endOfText = gpt2Ranks.special_tokens['<|endoftext|>'] as number;
  const vocabSize = endOfText + 1;
  const id = `0x${bytesToHex(keccak_256(new TextEncoder().encode(gpt2Ranks.bpe_ranks)))}` as const;
  shared = Object.freeze({
    name: 'gpt2' as const,
    vocabSize,
    endOfText,
    id,
    encode: (text: string) => Int32Array.from(tiktoken.encode(text, [], [])),
    decode(ids: ArrayLike<number>): string {
      const list = Array.from(ids);
      const bad = list.findIndex((token) => !Number.isInteger(token) || token < 0 || token >= vocabSize);
      if (bad !== -1) {
        throw new DataError('bad-tokens', 'Token id outside the vocabulary.', {
          details: `ids[${bad}] = ${list[bad]}, vocabSize ${vocabSize}`,
        });
      }
      return tiktoken.decode(list);
    },
  });
  return shared;
}
