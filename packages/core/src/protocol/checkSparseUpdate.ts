import { AggregationError } from '../errors/protocol.js';

/** A sparse update of the flat parameter vector, as `decodeUpdate` returns it. */
export type SparseUpdate = {
  /** Flat indices, strictly ascending, each below the parameter count. */
  indices: Uint32Array;
  /** Dequantized values, finite, one per index. */
  values: Float32Array;
};

/** Throws {@link AggregationError} unless `update` fits a vector of `length` entries. Internal to protocol/. */
export function checkSparseUpdate(update: SparseUpdate, length: number, label: string): void {
  const { indices, values } = update;
  if (!(indices instanceof Uint32Array) || !(values instanceof Float32Array)) {
    throw new AggregationError(
      'invalid-parameter',
      `${label}: indices must be a Uint32Array and values a Float32Array.`,
    );
  }
  if (indices.length !== values.length) {
    throw new AggregationError('length-mismatch', `${label}: indices and values differ in length.`, {
      details: `${indices.length} indices, ${values.length} values`,
    });
  }
  let previous = -1;
  for (let t = 0; t < indices.length; t++) {
    const index = indices[t]!;
    if (index >= length) {
      throw new AggregationError('index-out-of-range', `${label}: an index lies past the parameter vector.`, {
        details: `indices[${t}] = ${index} ≥ ${length}`,
      });
    }
    if (index <= previous) {
      throw new AggregationError('unsorted-index', `${label}: indices are not strictly ascending.`, {
        details: `indices[${t - 1}] = ${previous}, indices[${t}] = ${index}`,
      });
    }
    if (!Number.isFinite(values[t]!)) {
      throw new AggregationError('non-finite', `${label}: a value is NaN or infinite.`, {
        details: `values[${t}] = ${values[t]}`,
      });
    }
    previous = index;
  }
}

/** Throws {@link AggregationError} unless `base` is a Float32Array and `learningRate` finite and ≥ 0. */
export function checkBase(base: unknown, learningRate: unknown): asserts base is Float32Array {
  if (!(base instanceof Float32Array)) {
    throw new AggregationError('invalid-parameter', 'base must be a Float32Array.');
  }
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate < 0) {
    throw new AggregationError('invalid-parameter', 'learningRate must be a finite number ≥ 0.', {
      details: `got ${String(learningRate)}`,
    });
  }
}
