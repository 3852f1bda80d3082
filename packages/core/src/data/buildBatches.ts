import { DataError } from '../errors/data.js';

/**
 * A batch of token rows in one row-major Int32Array: `batchSize` rows of `rowLength` tokens.
 * For training and loss, each row is a page: `pageTokens` inputs plus the next token, so
 * `rowLength = pageTokens + 1`.
 */
export type TokenBatch = {
  readonly tokens: Int32Array;
  readonly batchSize: number;
  readonly rowLength: number;
};

/** Parameters of {@link buildBatches}. */
export type BuildBatchesParameters = {
  /** Pages (or any rows) of equal length, in the order they should be trained on. */
  pages: readonly Int32Array[];
  /** Rows per batch; the last batch is smaller when the pages do not divide evenly. */
  batchSize: number;
  /** When true, a last batch smaller than `batchSize` is dropped. @default false */
  dropRemainder?: boolean | undefined;
};

/**
 * Packs pages into token batches, in order: batch `i` holds pages `i * batchSize` onward.
 * Pure typed-array code; the model turns batches into tensors itself.
 *
 * @returns The batches; empty when there are no pages.
 * @throws DataError `invalid-parameter` for a bad batch size or pages of unequal length.
 * @example
 * const pages = assignment.pages.map((index) => corpus.getPage(index));
 * const batches = buildBatches({ pages, batchSize: 8 });
 * await trainInnerSteps({ model, batches, steps: 20, learningRate: 1e-3, weightDecay: 0.1 });
 */
export function buildBatches(parameters: BuildBatchesParameters): TokenBatch[] {
  const { pages, batchSize } = parameters;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new DataError('invalid-parameter', 'batchSize must be a positive integer.', {
      details: `batchSize: ${batchSize}`,
    });
  }
  const rowLength = pages[0]?.length ?? 0;
  if (pages.length > 0 && rowLength < 2) {
    throw new DataError('invalid-parameter', 'Pages must hold at least two tokens.', {
      details: `page length ${rowLength}`,
    });
  }
  const odd = pages.findIndex((page) => page.length !== rowLength);
  if (odd !== -1) {
    throw new DataError('invalid-parameter', 'Pages in one batch list must have equal length.', {
      details: `page ${odd} has ${pages[odd]?.length} tokens, page 0 has ${rowLength}`,
    });
  }
  const batches: TokenBatch[] = [];
  for (let start = 0; start < pages.length; start += batchSize) {
    const rows = pages.slice(start, start + batchSize);
    if (rows.length < batchSize && parameters.dropRemainder) break;
    const tokens = new Int32Array(rows.length * rowLength);
    rows.forEach((row, i) => tokens.set(row, i * rowLength));
    batches.push(Object.freeze({ tokens, batchSize: rows.length, rowLength }));
  }
  return batches;
}
