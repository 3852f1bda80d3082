import type { TokenBatch } from '../data/buildBatches.js';
import { ModelError } from '../errors/model.js';
import type { Model } from './createModel.js';
import { tf } from './tfjs.js';

/**
 * Checks a token batch against a model (shape, length, every id inside the vocabulary) and
 * makes it an int32 tensor `[batchSize, rowLength]`; the caller disposes it.
 *
 * @param rowLimits Shortest and longest row allowed: rows that carry their next-token
 *   target need at least two tokens and may be one longer than the context.
 * @throws ModelError `invalid-batch`.
 * @internal
 */
export function toTokenTensor(
  model: Model,
  batch: TokenBatch,
  rowLimits: { min: number; max: number },
): tf.Tensor2D {
  const { tokens, batchSize, rowLength } = batch;
  const fail = (message: string, details: string): never => {
    throw new ModelError('invalid-batch', message, { details });
  };
  if (!(tokens instanceof Int32Array)) fail('Batch tokens must be an Int32Array.', typeof tokens);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) fail('Batch size must be positive.', `${batchSize}`);
  if (!Number.isSafeInteger(rowLength) || rowLength < rowLimits.min || rowLength > rowLimits.max) {
    fail(
      'Batch rows do not fit the model.',
      `rowLength ${rowLength}, allowed ${rowLimits.min} to ${rowLimits.max}`,
    );
  }
  if (tokens.length !== batchSize * rowLength) {
    fail('Batch length disagrees with its shape.', `${tokens.length} != ${batchSize} * ${rowLength}`);
  }
  const vocabSize = model.config.vocabSize;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as number;
    if (token < 0 || token >= vocabSize) {
      fail('Batch holds a token outside the vocabulary.', `tokens[${i}] = ${token}, vocabSize ${vocabSize}`);
    }
  }
  return tf.tensor2d(tokens, [batchSize, rowLength], 'int32');
}
