import { CodecParameterError, UpdateDecodeError } from '../errors/codec.js';
import type { UpdateDecodeReason } from '../errors/codec.js';
import { assertBits, assertInteger } from './assertParameter.js';
import { BitReader } from './bitStream.js';
import {
  dequantize2,
  dequantize8,
  maxChunkSize,
  maxParameterCount,
  maxShards,
  maxWindow,
  quantBitsValues,
  updateFormatVersion,
  updateHeaderBytes,
  updateLayout,
  updateMagic,
} from './wireFormat.js';
import type { IndexCoding, QuantBits, UpdateHeader } from './wireFormat.js';

/** What the caller knows the update must be; any field left out is not checked. */
export type ExpectedUpdate = {
  /** Largest accepted byte length, checked before anything is read. */
  maxBytes?: number | undefined;
  /** The window being evaluated. */
  window?: number | undefined;
  /** The model's parameter count. */
  parameterCount?: number | undefined;
  /** The run's shard count. */
  shards?: number | undefined;
  /** The shard assigned to this miner for this window. */
  shard?: number | undefined;
  /** The run's chunk size. */
  chunkSize?: number | undefined;
  /** The run's top-k. */
  topK?: number | undefined;
  /** The run's quantization bits. */
  bits?: QuantBits | undefined;
};

/** Parameters of {@link decodeUpdate}. */
export type DecodeUpdateParameters = {
  /** The update's bytes, as downloaded. Untrusted. */
  bytes: Uint8Array;
  /** What the update must be for this miner and window; mismatches are rejections. */
  expected?: ExpectedUpdate | undefined;
};

/** A decoded update: sparse entries of the flat parameter vector. */
export type DecodedUpdate = {
  header: UpdateHeader;
  /** Flat indices into the parameter vector, strictly ascending, all inside the shard. */
  indices: Uint32Array;
  /** Dequantized values, finite, one per index. */
  values: Float32Array;
};

/**
 * Decodes an update's bytes strictly. Anything malformed, non-canonical or not what
 * `expected` says is rejected with an {@link UpdateDecodeError} whose `reason` says why;
 * no other error escapes for any byte string.
 *
 * Memory stays bounded on hostile input: the exact byte length is worked out from the
 * header and compared with the input before anything is allocated, and every kept entry
 * costs at least two bits, so the output is at most 32 times the input's size.
 *
 * @returns Global ascending indices, their dequantized values, and the header.
 * @throws UpdateDecodeError when the bytes are rejected.
 * @throws CodecParameterError when `bytes` is not a Uint8Array or `expected` is malformed.
 * @example
 * const update = decodeUpdate({
 *   bytes,
 *   expected: { maxBytes: 4 << 20, window: 42, parameterCount, shards: 4, shard: 1, chunkSize: 4096, topK: 128, bits: 2 },
 * });
 * for (let i = 0; i < update.indices.length; i++) theta[update.indices[i]!] -= lr * update.values[i]!;
 */
export function decodeUpdate(parameters: DecodeUpdateParameters): DecodedUpdate {
  const { bytes } = parameters;
  const expected = parameters.expected ?? {};
  if (!(bytes instanceof Uint8Array)) {
    throw new CodecParameterError('bytes', 'bytes must be a Uint8Array.');
  }
  checkExpected(expected);

  if (expected.maxBytes !== undefined && bytes.length > expected.maxBytes) {
    reject(
      'oversize',
      'The update is larger than the byte cap.',
      `${bytes.length} > ${expected.maxBytes} bytes`,
    );
  }
  for (let i = 0; i < updateMagic.length; i++) {
    if (i >= bytes.length)
      reject('truncated', 'The update ends inside its magic bytes.', `${bytes.length} bytes`);
    if (bytes[i] !== updateMagic[i])
      reject('bad-magic', 'The bytes are not a Tessera update (no TSRU magic).');
  }
  if (bytes.length < 5) reject('truncated', 'The update ends before its version.');
  if (bytes[4] !== updateFormatVersion) {
    reject(
      'bad-version',
      'Unsupported update format version.',
      `version ${bytes[4]}, this decoder reads ${updateFormatVersion}`,
    );
  }
  if (bytes.length < updateHeaderBytes) {
    reject('truncated', 'The update ends inside its header.', `${bytes.length} < ${updateHeaderBytes} bytes`);
  }

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bits = view.getUint8(5);
  const reserved = view.getUint16(6, true);
  const header = {
    version: updateFormatVersion,
    window: view.getUint32(8, true),
    parameterCount: view.getUint32(12, true),
    shards: view.getUint32(16, true),
    shard: view.getUint32(20, true),
    shardOffset: view.getUint32(24, true),
    shardLength: view.getUint32(28, true),
    chunkSize: view.getUint32(32, true),
    topK: view.getUint32(36, true),
    bits: bits as QuantBits,
  } satisfies UpdateHeader;
  if (!quantBitsValues.includes(header.bits))
    reject('bad-header', 'Unsupported bits per value.', `bits ${bits}`);
  if (reserved !== 0)
    reject('bad-header', 'Reserved header bits are set.', `reserved 0x${reserved.toString(16)}`);
  checkShape(header);
  checkAgainst(header, expected);

  const layout = updateLayout(header);
  if (bytes.length < layout.totalBytes) {
    reject(
      'truncated',
      'The update is shorter than its header says.',
      `${bytes.length} < ${layout.totalBytes} bytes`,
    );
  }
  if (bytes.length > layout.totalBytes) {
    reject(
      'trailing-bytes',
      'The update is longer than its header says.',
      `${bytes.length} > ${layout.totalBytes} bytes`,
    );
  }

  // Sizes now match the bytes actually present: allocations are bounded by the input.
  const scales = new Float32Array(layout.chunkCount * layout.scalesPerChunk);
  for (let s = 0; s < scales.length; s++) {
    const scale = view.getFloat32(updateHeaderBytes + 4 * s, true);
    if (!Number.isFinite(scale))
      reject('non-finite', 'A chunk scale is NaN or infinite.', `scale ${s}: ${scale}`);
    if (scale < 0 || Object.is(scale, -0))
      reject('bad-scale', 'A chunk scale is negative.', `scale ${s}: ${scale}`);
    if (header.bits === 2 && s % 2 === 1 && scales[s - 1]! > scale) {
      reject('bad-scale', 'A 2-bit chunk has its small level above its large one.', `chunk ${(s - 1) / 2}`);
    }
    scales[s] = scale;
  }

  const indices = new Uint32Array(layout.keptCount);
  const indexSection = bytes.subarray(layout.indexOffset, layout.valueOffset);
  const indexReader = new BitReader(indexSection);
  const scratch = new Uint32Array(header.topK);
  let entry = 0;
  let start = 0;
  for (const shape of layout.shapes) {
    for (let c = 0; c < shape.count; c++, start += shape.length) {
      readIndices(indexReader, shape.coding, shape.length, shape.kept, scratch, start);
      const base = header.shardOffset + start;
      for (let t = 0; t < shape.kept; t++) indices[entry++] = base + scratch[t]!;
    }
  }
  checkPadding(indexSection, layout.indexBits, 'index');

  const values = new Float32Array(layout.keptCount);
  const valueSection = bytes.subarray(layout.valueOffset);
  const valueView = new DataView(valueSection.buffer, valueSection.byteOffset, valueSection.byteLength);
  const valueReader = new BitReader(valueSection);
  entry = 0;
  let chunk = 0;
  for (const shape of layout.shapes) {
    for (let c = 0; c < shape.count; c++, chunk++) {
      for (let t = 0; t < shape.kept; t++, entry++) {
        let value: number;
        if (header.bits === 32) {
          value = valueView.getFloat32(4 * entry, true);
        } else if (header.bits === 8) {
          const code = valueView.getInt8(entry);
          if (code === -128)
            reject('non-canonical', 'An int8 code is -128; codes run from -127 to 127.', `entry ${entry}`);
          value = dequantize8(code, scales[chunk]!);
        } else {
          value = dequantize2(valueReader.read(2), scales[2 * chunk]!, scales[2 * chunk + 1]!);
        }
        if (!Number.isFinite(value))
          reject('non-finite', 'A value is NaN or infinite.', `entry ${entry}: ${value}`);
        values[entry] = value;
      }
    }
  }
  if (header.bits === 2) checkPadding(valueSection, layout.valueBits, 'value');

  return { header: Object.freeze(header), indices, values };
}

function reject(reason: UpdateDecodeReason, shortMessage: string, details?: string): never {
  throw new UpdateDecodeError(reason, shortMessage, { details });
}

function checkShape(header: UpdateHeader): void {
  const { parameterCount: n, shards, shard, chunkSize, topK } = header;
  if (n < 1) reject('bad-shape', 'The parameter count is zero.');
  if (shards < 1 || shards > Math.min(maxShards, n)) {
    reject('bad-shape', 'The shard count is out of range.', `${shards} shards of ${n} parameters`);
  }
  if (shard >= shards) reject('bad-shape', 'The shard is out of range.', `shard ${shard} of ${shards}`);
  const offset = Math.floor((shard * n) / shards);
  const length = Math.floor(((shard + 1) * n) / shards) - offset;
  if (header.shardOffset !== offset || header.shardLength !== length) {
    reject(
      'bad-shape',
      "The shard offset or length is not the shard's.",
      `header [${header.shardOffset}, +${header.shardLength}), shard ${shard} is [${offset}, +${length})`,
    );
  }
  if (chunkSize < 1 || chunkSize > maxChunkSize)
    reject('bad-shape', 'The chunk size is out of range.', `${chunkSize}`);
  if (topK < 1 || topK > chunkSize)
    reject('bad-shape', 'Top-k is out of range.', `top-k ${topK}, chunk ${chunkSize}`);
}

function checkAgainst(header: UpdateHeader, expected: ExpectedUpdate): void {
  const mismatch = (reason: UpdateDecodeReason, field: keyof ExpectedUpdate & keyof UpdateHeader) => {
    const want = expected[field];
    if (want !== undefined && header[field] !== want) {
      reject(reason, `The update is for another ${field}.`, `${field} ${header[field]}, expected ${want}`);
    }
  };
  mismatch('wrong-window', 'window');
  mismatch('wrong-parameter-count', 'parameterCount');
  mismatch('wrong-shards', 'shards');
  mismatch('wrong-shard', 'shard');
  mismatch('wrong-compression', 'chunkSize');
  mismatch('wrong-compression', 'topK');
  mismatch('wrong-compression', 'bits');
}

function checkExpected(expected: ExpectedUpdate): void {
  if (typeof expected !== 'object' || expected === null) {
    throw new CodecParameterError('expected', 'expected must be an object.');
  }
  const optional = (name: keyof ExpectedUpdate, min: number, max: number) => {
    if (expected[name] !== undefined) assertInteger(`expected.${name}`, expected[name], min, max);
  };
  optional('maxBytes', 0, Number.MAX_SAFE_INTEGER);
  optional('window', 0, maxWindow);
  optional('parameterCount', 1, maxParameterCount);
  optional('shards', 1, maxShards);
  optional('shard', 0, maxShards - 1);
  optional('chunkSize', 1, maxChunkSize);
  optional('topK', 1, maxChunkSize);
  if (expected.bits !== undefined) assertBits('expected.bits', expected.bits);
}

/** Reads one chunk's within-chunk indices into `out[0..kept)`, checking order and range. */
function readIndices(
  reader: BitReader,
  coding: IndexCoding,
  length: number,
  kept: number,
  out: Uint32Array,
  start: number,
): void {
  if (coding.kind === 'implicit') {
    for (let t = 0; t < kept; t++) out[t] = t;
    return;
  }
  if (coding.kind === 'fixed') {
    for (let t = 0; t < kept; t++) out[t] = reader.read(coding.width);
  } else {
    const { lowBits, upperBits } = coding;
    const unit = 2 ** lowBits;
    for (let t = 0; t < kept; t++) out[t] = reader.read(lowBits);
    let found = 0;
    for (let at = 0; at < upperBits; at++) {
      if (reader.readBit() === 0) continue;
      if (found === kept) {
        reject('bad-index-coding', 'An Elias–Fano index field holds too many entries.', `chunk at ${start}`);
      }
      out[found] = (at - found) * unit + out[found]!;
      found++;
    }
    if (found < kept) {
      reject(
        'bad-index-coding',
        'An Elias–Fano index field holds too few entries.',
        `${found} of ${kept}, chunk at ${start}`,
      );
    }
  }
  for (let t = 0; t < kept; t++) {
    const position = out[t]!;
    if (position >= length) {
      reject(
        'index-out-of-range',
        'An index lies past the end of its chunk.',
        `${position} ≥ ${length}, chunk at ${start}`,
      );
    }
    if (t > 0 && position <= out[t - 1]!) {
      reject(
        position === out[t - 1] ? 'duplicate-index' : 'unsorted-index',
        position === out[t - 1] ? 'An index appears twice.' : 'Indices are not ascending.',
        `${out[t - 1]} then ${position}, chunk at ${start}`,
      );
    }
  }
}

function checkPadding(section: Uint8Array, usedBits: number, name: string): void {
  const spare = usedBits % 8;
  if (spare === 0) return;
  const last = section[Math.floor(usedBits / 8)] ?? 0;
  if (last >>> spare !== 0) reject('non-canonical', `The ${name} section's padding bits are not zero.`);
}
