import { CodecParameterError } from '../errors/codec.js';
import { assertBits, assertFloat32Array, assertInteger } from './assertParameter.js';
import { dequantize2, dequantize8, maxChunkSize, maxParameterCount, updateLayout } from './wireFormat.js';
import type { QuantBits } from './wireFormat.js';

/** Parameters of {@link compressUpdate}. */
export type CompressUpdateParameters = {
  /** The shard's slice of the pseudo-gradient `Δ = θ_w − θ_local`. Not modified. */
  delta: Float32Array;
  /**
   * The miner's error-feedback buffer for this shard, same length as `delta`. Updated in
   * place: on return it holds `delta + previous buffer − what was sent`.
   */
  errorFeedback: Float32Array;
  /** Entries per chunk, 1 to 2^24. */
  chunkSize: number;
  /** Entries kept per chunk, 1 to `chunkSize` (a shorter last chunk keeps at most its length). */
  topK: number;
  /** Bits per kept value. */
  bits: QuantBits;
};

/**
 * A compressed shard update: what {@link encodeUpdate} writes, and what the miner sent.
 * Produced by {@link compressUpdate}; pass it with the window and shard to `encodeUpdate`.
 */
export type CompressedUpdate = {
  /** Entries in the shard. */
  length: number;
  chunkSize: number;
  topK: number;
  bits: QuantBits;
  /** Kept entries' positions within the shard, ascending. */
  indices: Uint32Array;
  /** Kept entries' dequantized values: exactly what a decoder will read back. */
  values: Float32Array;
  /**
   * One code per kept entry: int8 two's complement (8-bit) or sign·level bits (2-bit);
   * empty for 32-bit.
   */
  codes: Uint8Array;
  /** Per chunk: the int8 step (8-bit), or the small and large levels (2-bit); empty for 32-bit. */
  scales: Float32Array;
};

/**
 * Compresses a shard's pseudo-gradient with error feedback: adds the buffer to `delta`,
 * keeps the `topK` largest magnitudes of each chunk, quantizes them, and leaves in the
 * buffer everything that was not sent (the quantization error included).
 *
 * Quantization, per chunk:
 * - 8-bit: symmetric absmax; `step = absmax/127` rounded to float32, codes
 *   `round(x/step)` in −127..127, value `code·step`.
 * - 2-bit: four levels `±small, ±large`. The two magnitudes are the exact least-squares
 *   optimum for the chunk's kept magnitudes (1-D two-means: every split of the sorted
 *   magnitudes is tried, each side takes its mean), and each entry takes the nearer level.
 *   Top-k magnitudes are skewed, so two fitted levels lose far less than one absmax level.
 * - 32-bit: raw float32, for debugging.
 *
 * Selection is deterministic: ties at the threshold go to the lower index.
 *
 * @returns The compressed update; `values` are what was sent, dequantized.
 * @throws CodecParameterError on bad sizes or a NaN or infinite entry in `delta + errorFeedback`.
 * @example
 * const errorFeedback = new Float32Array(delta.length); // kept across windows
 * const compressed = compressUpdate({ delta, errorFeedback, chunkSize: 4096, topK: 128, bits: 2 });
 * const bytes = encodeUpdate({ ...compressed, window, parameterCount, shards, shard });
 */
export function compressUpdate(parameters: CompressUpdateParameters): CompressedUpdate {
  const { delta, errorFeedback, chunkSize, topK, bits } = parameters;
  assertFloat32Array('delta', delta);
  assertInteger('delta.length', delta.length, 1, maxParameterCount);
  assertFloat32Array('errorFeedback', errorFeedback, delta.length);
  assertInteger('chunkSize', chunkSize, 1, maxChunkSize);
  assertInteger('topK', topK, 1, chunkSize);
  assertBits('bits', bits);
  const length = delta.length;
  assertFiniteSum(delta, errorFeedback);

  const layout = updateLayout({ shardLength: length, chunkSize, topK, bits });
  const indices = new Uint32Array(layout.keptCount);
  const values = new Float32Array(layout.keptCount);
  const codes = new Uint8Array(bits === 32 ? 0 : layout.keptCount);
  const scales = new Float32Array(layout.chunkCount * layout.scalesPerChunk);

  const magnitudes = new Uint32Array(Math.min(chunkSize, length));
  const candidates = new Uint32Array(Math.min(chunkSize, length));
  const histogram = new Uint32Array(histogramBins);
  const kept = new Uint32Array(topK);
  const sorted = new Float64Array(topK);
  const buffer = errorFeedback;
  // The float32 bits of |x|, compared as unsigned integers, order magnitudes like the floats.
  const bufferBits = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length);
  let out = 0;

  for (let chunk = 0, start = 0; start < length; chunk++, start += chunkSize) {
    const size = Math.min(chunkSize, length - start);
    const k = Math.min(topK, size);
    histogram.fill(0);
    for (let j = 0; j < size; j++) {
      buffer[start + j] = buffer[start + j]! + delta[start + j]!;
      const magnitude = bufferBits[start + j]! & 0x7fffffff;
      magnitudes[j] = magnitude;
      histogram[magnitude >>> histogramShift]!++;
    }
    selectTop(magnitudes, size, k, histogram, candidates, kept);

    if (bits === 32) {
      for (let t = 0; t < k; t++) {
        const at = start + kept[t]!;
        indices[out] = at;
        values[out] = buffer[at]!;
        buffer[at] = 0;
        out++;
      }
    } else if (bits === 8) {
      let absmax = 0;
      for (let t = 0; t < k; t++) absmax = Math.max(absmax, Math.abs(buffer[start + kept[t]!]!));
      const step = Math.fround(absmax / 127);
      scales[chunk] = step;
      for (let t = 0; t < k; t++) {
        const at = start + kept[t]!;
        const x = buffer[at]!;
        let q = step > 0 ? Math.min(127, Math.round(Math.abs(x) / step)) : 0;
        // Near float32's maximum, 127·step may round to infinity: take one step less.
        while (q > 0 && !Number.isFinite(dequantize8(q, step))) q--;
        const code = (x < 0 ? -q : q) | 0;
        const sent = dequantize8(code, step);
        indices[out] = at;
        values[out] = sent;
        codes[out] = code & 0xff;
        buffer[at] = x - sent;
        out++;
      }
    } else {
      for (let t = 0; t < k; t++) sorted[t] = Math.abs(buffer[start + kept[t]!]!);
      const [small, large] = twoLevels(sorted.subarray(0, k));
      scales[2 * chunk] = small;
      scales[2 * chunk + 1] = large;
      for (let t = 0; t < k; t++) {
        const at = start + kept[t]!;
        const x = buffer[at]!;
        const m = Math.abs(x);
        const code = (x < 0 ? 2 : 0) | (large > small && m - small > large - m ? 1 : 0);
        const sent = dequantize2(code, small, large);
        indices[out] = at;
        values[out] = sent;
        codes[out] = code;
        buffer[at] = x - sent;
        out++;
      }
    }
  }
  return { length, chunkSize, topK, bits, indices, values, codes, scales };
}

function assertFiniteSum(delta: Float32Array, errorFeedback: Float32Array): void {
  for (let i = 0; i < delta.length; i++) {
    const sum = Math.fround(delta[i]! + errorFeedback[i]!);
    if (sum - sum !== 0) {
      const bad = !Number.isFinite(delta[i]!)
        ? 'delta'
        : !Number.isFinite(errorFeedback[i]!)
          ? 'errorFeedback'
          : 'delta';
      throw new CodecParameterError(bad, 'The update holds a NaN or infinite value.', {
        details: `index ${i}: delta ${delta[i]}, errorFeedback ${errorFeedback[i]}, sum ${sum}`,
        hint: 'Training diverged or the buffer is corrupt; reset the error-feedback buffer and lower the learning rate.',
      });
    }
  }
}

/** Magnitude buckets: the top 10 bits of a float32's absolute value (8 of exponent, 2 of mantissa). */
const histogramShift = 21;
const histogramBins = 1 << (31 - histogramShift);

/**
 * Writes into `kept[0..k)` the positions of the `k` largest of `magnitudes[0..size)`
 * (float32 bits of |x|), ascending; ties at the threshold go to lower positions.
 * `histogram` counts the magnitudes per bucket. Finds the bucket holding the k-th largest,
 * then the exact threshold among that bucket's few entries, so each chunk costs a few
 * linear passes whatever its values.
 */
function selectTop(
  magnitudes: Uint32Array,
  size: number,
  k: number,
  histogram: Uint32Array,
  candidates: Uint32Array,
  kept: Uint32Array,
): void {
  if (k === size) {
    for (let j = 0; j < size; j++) kept[j] = j;
    return;
  }
  let above = 0;
  let bucket = histogramBins - 1;
  for (; bucket > 0; bucket--) {
    const count = histogram[bucket]!;
    if (above + count >= k) break;
    above += count;
  }
  let count = 0;
  for (let j = 0; j < size; j++) {
    if (magnitudes[j]! >>> histogramShift === bucket) candidates[count++] = magnitudes[j]!;
  }
  // The (k − above)-th largest candidate is the threshold.
  const need = k - above;
  const threshold = quickselect(candidates, count, count - need);
  let ties = need;
  for (let j = count - need + 1; j < count; j++) if (candidates[j]! > threshold) ties--;
  let t = 0;
  for (let j = 0; t < k; j++) {
    const m = magnitudes[j]!;
    if (m > threshold || (m === threshold && ties-- > 0)) kept[t++] = j;
  }
}

/**
 * Reorders `a[0..size)` so `a[target]` holds the value that sorted order puts there, with
 * nothing larger before it and nothing smaller after it; returns that value.
 */
function quickselect(a: Uint32Array, size: number, target: number): number {
  let lo = 0;
  let hi = size - 1;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const swap = a[i]!;
        a[i] = a[j]!;
        a[j] = swap;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target]!;
}

/**
 * The two magnitudes minimising `Σ (m − nearest level)²` over `magnitudes`: the best
 * split of the sorted values into a low and a high group, each at its mean. Rounded to
 * float32; small ≤ large.
 */
function twoLevels(magnitudes: Float64Array): [number, number] {
  const k = magnitudes.length;
  magnitudes.sort();
  let total = 0;
  for (let t = 0; t < k; t++) total += magnitudes[t]!;
  // Maximising Σ n_g·mean_g² minimises the squared error (Σ m² is fixed).
  let best = (total * total) / k;
  let split = 0;
  let prefix = 0;
  let bestPrefix = 0;
  for (let t = 1; t < k; t++) {
    prefix += magnitudes[t - 1]!;
    const rest = total - prefix;
    const score = (prefix * prefix) / t + (rest * rest) / (k - t);
    if (score > best) {
      best = score;
      split = t;
      bestPrefix = prefix;
    }
  }
  if (split === 0) {
    const level = Math.fround(total / k);
    return [level, level];
  }
  return [Math.fround(bestPrefix / split), Math.fround((total - bestPrefix) / (k - split))];
}
