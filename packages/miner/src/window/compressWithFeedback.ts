import { compressUpdate } from '@tessera/core';
import type { CompressedUpdate, Hyperparameters } from '@tessera/core';

/** Parameters of {@link compressWithFeedback}. */
export type CompressWithFeedbackParameters = {
  /** The shard-long pseudo-gradient. */
  delta: Float32Array;
  /** The shard's error-feedback buffer; left as it is (a copy is updated). */
  errorFeedback: Float32Array;
  hyperparameters: Pick<Hyperparameters, 'chunkSize' | 'topK' | 'quantBits'>;
};

/** A compressed update and the buffers on either side of sending it. */
export type CompressedWithFeedback = {
  compressed: CompressedUpdate;
  /** The buffer once `compressed` is sent: keep it if the update is committed. */
  errorFeedback: Float32Array;
  /** The buffer plus `delta`, before the send was taken out: what to go back to if the aggregate leaves the update out. */
  beforeSend: Float32Array;
};

/**
 * Step 4 of the miner's window: adds the error-feedback buffer to Δ, keeps the top-k entries
 * per chunk, quantizes them, and takes what was sent out of a copy of the buffer
 * (`compressUpdate`). The pre-send buffer is summed and rounded to float32 as compressUpdate
 * sums it: bit for bit its accumulator.
 *
 * @example
 * const { compressed, errorFeedback, beforeSend } = compressWithFeedback({ delta, errorFeedback: buffer, hyperparameters });
 */
export function compressWithFeedback(parameters: CompressWithFeedbackParameters): CompressedWithFeedback {
  const { delta, hyperparameters: h } = parameters;
  const buffer = Float32Array.from(parameters.errorFeedback);
  const beforeSend = buffer.map((value, i) => value + delta[i]!);
  const compressed = compressUpdate({
    delta,
    errorFeedback: buffer,
    chunkSize: h.chunkSize,
    topK: h.topK,
    bits: h.quantBits,
  });
  return { compressed, errorFeedback: buffer, beforeSend };
}
