/**
 * Constants and sizing of the update wire format, shared by the encoder and the decoder.
 *
 * Layout (all integers little-endian):
 *
 * | offset | bytes | field                                                  |
 * | ------ | ----- | ------------------------------------------------------ |
 * | 0      | 4     | magic `TSRU`                                           |
 * | 4      | 1     | version (1)                                            |
 * | 5      | 1     | bits per value: 2, 8 or 32                             |
 * | 6      | 2     | reserved, zero                                         |
 * | 8      | 4     | window                                                 |
 * | 12     | 4     | parameterCount (N)                                     |
 * | 16     | 4     | shards (S)                                             |
 * | 20     | 4     | shard                                                  |
 * | 24     | 4     | shardOffset, `⌊shard·N/S⌋`                              |
 * | 28     | 4     | shardLength                                            |
 * | 32     | 4     | chunkSize (C)                                          |
 * | 36     | 4     | topK (K)                                               |
 * | 40     | …     | scales: float32 per chunk (8-bit: step; 2-bit: small, large level; 32-bit: none) |
 * | …      | …     | index section: every chunk's indices, bit-packed, zero-padded to a byte |
 * | …      | …     | value section: every kept value's code, bit-packed, zero-padded to a byte |
 *
 * The shard is cut into chunks of C entries (the last may be shorter); chunk `c` of length
 * `n` keeps exactly `k = min(K, n)` entries. Every section's size therefore follows from the
 * header alone, so the decoder knows the exact byte length before it reads a payload.
 *
 * Index coding per chunk, whichever is smallest for its `(n, k)` (ties to the earlier):
 * 1. implicit, when `k = n`: every index is kept, no bits;
 * 2. fixed width: each within-chunk index in `⌈log₂ n⌉` bits;
 * 3. Elias–Fano: each index's low `L = ⌊log₂(n/k)⌋` bits, then the high parts as unary
 *    gaps (a 1 bit at `high_i + i` in a field of `k + ⌊(n−1)/2^L⌋ + 1` bits).
 * Elias–Fano costs under `k·(L + 3)` bits against `k·⌈log₂ n⌉`: for C = 4096 and K = 128
 * that is 7 bits per index instead of 12, so it is what ordinary updates use; fixed width
 * wins only for a handful of entries per chunk.
 */

/** The four bytes every update starts with: ASCII `TSRU`. */
export const updateMagic: Uint8Array = Uint8Array.of(0x54, 0x53, 0x52, 0x55);
/** The wire-format version this code writes and reads. */
export const updateFormatVersion = 1;
/** Bytes before the first chunk scale. */
export const updateHeaderBytes = 40;
/** Largest chunk size the format accepts (2^24). */
export const maxChunkSize = 1 << 24;
/** Largest number of shards (2^16 − 1). */
export const maxShards = 0xffff;
/** Largest parameter count (2^32 − 1: indices are uint32). */
export const maxParameterCount = 0xffffffff;
/** Largest window number a header carries (2^32 − 1). */
export const maxWindow = 0xffffffff;

/** Bits per kept value: 2 (sign × two levels), 8 (int8 absmax) or 32 (raw float32, for debugging). */
export type QuantBits = 2 | 8 | 32;

/** The bit widths {@link QuantBits} allows. */
export const quantBitsValues: readonly QuantBits[] = Object.freeze([2, 8, 32] as const);

/** The fixed fields of an update's header. */
export type UpdateHeader = {
  /** Wire-format version. */
  version: number;
  /** Window the update was trained for. */
  window: number;
  /** Length of the model's flat parameter vector. */
  parameterCount: number;
  /** Number of shards the vector is cut into. */
  shards: number;
  /** Shard this update covers. */
  shard: number;
  /** First flat index of the shard. */
  shardOffset: number;
  /** Entries in the shard. */
  shardLength: number;
  /** Entries per chunk. */
  chunkSize: number;
  /** Entries kept per full chunk. */
  topK: number;
  /** Bits per kept value. */
  bits: QuantBits;
};

/** How one chunk's indices are written. */
export type IndexCoding =
  | { kind: 'implicit'; bits: 0 }
  | { kind: 'fixed'; width: number; bits: number }
  | { kind: 'elias-fano'; lowBits: number; upperBits: number; bits: number };

/** `⌈log₂ n⌉` for n ≥ 1. */
export function ceilLog2(n: number): number {
  return n <= 1 ? 0 : 32 - Math.clz32(n - 1);
}

/** The index coding of a chunk of `length` entries keeping `kept` of them (1 ≤ kept ≤ length). */
export function indexCodingOf(length: number, kept: number): IndexCoding {
  if (kept === length) return { kind: 'implicit', bits: 0 };
  const width = ceilLog2(length);
  const fixed = kept * width;
  let lowBits = 0;
  while (kept * 2 ** (lowBits + 1) <= length) lowBits++;
  const upperBits = kept + Math.floor((length - 1) / 2 ** lowBits) + 1;
  const eliasFano = kept * lowBits + upperBits;
  return fixed <= eliasFano
    ? { kind: 'fixed', width, bits: fixed }
    : { kind: 'elias-fano', lowBits, upperBits, bits: eliasFano };
}

/** One run of chunks of equal shape. */
export type ChunkShape = {
  /** Entries in each chunk. */
  length: number;
  /** Entries kept per chunk. */
  kept: number;
  /** How many consecutive chunks have this shape. */
  count: number;
  coding: IndexCoding;
};

/** Sizes of every section of an update, from its header alone. */
export type UpdateLayout = {
  chunkCount: number;
  /** Full chunks, then the short last chunk if there is one. */
  shapes: ChunkShape[];
  /** Kept entries in all. */
  keptCount: number;
  scalesPerChunk: number;
  scaleBytes: number;
  indexBits: number;
  valueBits: number;
  indexOffset: number;
  indexBytes: number;
  valueOffset: number;
  valueBytes: number;
  /** Exact encoded length in bytes. */
  totalBytes: number;
};

/** Scales each chunk carries for a bit width. */
export function scalesPerChunkOf(bits: QuantBits): number {
  return bits === 2 ? 2 : bits === 8 ? 1 : 0;
}

/**
 * Sizes every section. Arguments must already be valid: 1 ≤ chunkSize ≤ maxChunkSize,
 * 1 ≤ topK ≤ chunkSize, shardLength ≥ 1. All sums stay far below 2^53.
 */
export function updateLayout(parameters: {
  shardLength: number;
  chunkSize: number;
  topK: number;
  bits: QuantBits;
}): UpdateLayout {
  const { shardLength, chunkSize, topK, bits } = parameters;
  const fullChunks = Math.floor(shardLength / chunkSize);
  const lastLength = shardLength - fullChunks * chunkSize;
  const shapes: ChunkShape[] = [];
  if (fullChunks > 0) {
    shapes.push({ length: chunkSize, kept: topK, count: fullChunks, coding: indexCodingOf(chunkSize, topK) });
  }
  if (lastLength > 0) {
    const kept = Math.min(topK, lastLength);
    shapes.push({ length: lastLength, kept, count: 1, coding: indexCodingOf(lastLength, kept) });
  }
  const chunkCount = fullChunks + (lastLength > 0 ? 1 : 0);
  let keptCount = 0;
  let indexBits = 0;
  for (const shape of shapes) {
    keptCount += shape.kept * shape.count;
    indexBits += shape.coding.bits * shape.count;
  }
  const scalesPerChunk = scalesPerChunkOf(bits);
  const scaleBytes = chunkCount * scalesPerChunk * 4;
  const valueBits = keptCount * bits;
  const indexOffset = updateHeaderBytes + scaleBytes;
  const indexBytes = Math.ceil(indexBits / 8);
  const valueOffset = indexOffset + indexBytes;
  const valueBytes = Math.ceil(valueBits / 8);
  return {
    chunkCount,
    shapes,
    keptCount,
    scalesPerChunk,
    scaleBytes,
    indexBits,
    valueBits,
    indexOffset,
    indexBytes,
    valueOffset,
    valueBytes,
    totalBytes: valueOffset + valueBytes,
  };
}

/** Dequantizes an int8 code: `code · step`, rounded once to float32. */
export function dequantize8(code: number, step: number): number {
  return Math.fround(code * step);
}

/**
 * Dequantizes a 2-bit code: bit 0 picks the level (0: small, 1: large), bit 1 the sign
 * (1: negative). Exact: a float32 level, maybe negated.
 */
export function dequantize2(code: number, small: number, large: number): number {
  const level = code & 1 ? large : small;
  return code & 2 ? -level : level;
}
