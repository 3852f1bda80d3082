import { readFile, stat } from 'node:fs/promises';
import { DatasetError } from '../errors/dataset.js';

/** Largest input file read, in bytes. */
export const maxInputFileBytes = 1 << 30;

/** Parameters of {@link readDatasetInputs}. */
export type ReadDatasetInputsParameters = {
  /** Text files (each one document) and `.jsonl` files (one `{ "text": "…" }` document a line), in order. */
  paths: readonly string[];
};

/**
 * Reads the documents of a dataset build, in the order given: a `.jsonl` file gives one
 * document per non-empty line (an object with a string `text`; other fields are ignored),
 * any other file is one UTF-8 document.
 *
 * @returns The documents' texts.
 * @throws DatasetError `bad-input` naming the file (and line) that cannot be read or parsed.
 * @example
 * const documents = await readDatasetInputs({ paths: ['books.jsonl', 'notes.txt'] });
 */
export async function readDatasetInputs(parameters: ReadDatasetInputsParameters): Promise<string[]> {
  const documents: string[] = [];
  if (parameters.paths.length === 0) {
    throw new DatasetError('bad-input', 'No input files given.', {
      hint: 'Pass --input with text or .jsonl files.',
    });
  }
  for (const path of parameters.paths) {
    let text: string;
    try {
      const size = (await stat(path)).size;
      if (size > maxInputFileBytes) throw new Error(`${size} bytes, at most ${maxInputFileBytes}`);
      text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(path));
    } catch (error) {
      throw new DatasetError('bad-input', 'Cannot read an input file as UTF-8 text.', {
        details: `${path}: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    if (!path.endsWith('.jsonl')) {
      documents.push(text);
      continue;
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new DatasetError('bad-input', 'A JSONL line is not JSON.', {
          details: `${path}:${i + 1}: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      const document = (value as { text?: unknown } | null)?.text;
      if (typeof value !== 'object' || value === null || typeof document !== 'string') {
        throw new DatasetError('bad-input', 'A JSONL line has no string "text" field.', {
          details: `${path}:${i + 1}`,
        });
      }
      documents.push(document);
    });
  }
  return documents;
}
