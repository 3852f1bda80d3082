import { CodecParameterError } from '../errors/codec.js';
import { assertBits, assertFloat32Array, assertInteger } from './assertParameter.js';
import { BitWriter } from './bitStream.js';
import type { CompressedUpdate } from './compressUpdate.js';
import { shardRange } from './shardRange.js';
import {
  dequantize2,
  dequantize8,
  maxChunkSize,
  maxWindow,
  updateFormatVersion,
  updateHeaderBytes,
  updateLayout,
  updateMagic,
} from './wireFormat.js';
import type { IndexCoding } from './wireFormat.js';

/** Parameters of {@link encodeUpdate}: a compressed update and where it belongs. */
export type EncodeUpdateParameters = CompressedUpdate & {
  /** Window the update was trained for, 0 to 2^32 − 1. */
  window: number;
  /** Length of the model's flat parameter vector. */
  parameterCount: number;
  /** Number of shards the vector is cut into. */
  shards: number;
  /** Shard the update covers; `length` must be that shard's length. */
  shard: number;
};

/**
 * Encodes a compressed update in the versioned wire format (magic `TSRU`, version 1; see
 * `codec/wireFormat.ts` for the layout). The encoding is canonical: one update, one byte
 * string, so its digest identifies it.
 *
 * Everything `decodeUpdate` would reject is rejected here first, so a successful encode
 * always decodes back to `indices` (offset by the shard) and, bit for bit, `values`.
 *
 * @returns The update's bytes.
 * @throws CodecParameterError when the update is inconsistent with itself or its shard.
 * @example
 * const compressed = compressUpdate({ delta, errorFeedback, chunkSize: 4096, topK: 128, bits: 2 });
 * const bytes = encodeUpdate({ ...compressed, window: 42, parameterCount, shards: 4, shard: 1 });
 */
export function encodeUpdate(update: EncodeUpdateParameters): Uint8Array {
  const { window, parameterCount, shards, shard, chunkSize, topK, bits, indices, values, codes, scales } =
    update;
  assertInteger('window', window, 0, maxWindow);
  const range = shardRange({ parameterCount, shards, shard });
  assertInteger('length', update.length, range.length, range.length);
  assertInteger('chunkSize', chunkSize, 1, maxChunkSize);
  assertInteger('topK', topK, 1, chunkSize);
  assertBits('bits', bits);
  const layout = updateLayout({ shardLength: range.length, chunkSize, topK, bits });
  if (!(indices instanceof Uint32Array) || indices.length !== layout.keptCount) {
    throw new CodecParameterError('indices', `indices must be a Uint32Array of ${layout.keptCount} entries.`);
  }
  assertFloat32Array('values', values, layout.keptCount);
  if (!(codes instanceof Uint8Array) || codes.length !== (bits === 32 ? 0 : layout.keptCount)) {
    throw new CodecParameterError(
      'codes',
      `codes must be a Uint8Array of ${bits === 32 ? 0 : layout.keptCount} entries.`,
    );
  }
  assertFloat32Array('scales', scales, layout.chunkCount * layout.scalesPerChunk);

  const bytes = new Uint8Array(layout.totalBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  bytes.set(updateMagic, 0);
  view.setUint8(4, updateFormatVersion);
  view.setUint8(5, bits);
  view.setUint16(6, 0, true);
  view.setUint32(8, window, true);
  view.setUint32(12, parameterCount, true);
  view.setUint32(16, shards, true);
  view.setUint32(20, shard, true);
  view.setUint32(24, range.offset, true);
  view.setUint32(28, range.length, true);
  view.setUint32(32, chunkSize, true);
  view.setUint32(36, topK, true);

  for (let s = 0; s < scales.length; s++) {
    const scale = scales[s]!;
    if (!Number.isFinite(scale) || scale < 0 || Object.is(scale, -0)) {
      throw new CodecParameterError('scales', 'Scales must be finite and not negative.', {
        details: `scales[${s}] = ${scale}`,
      });
    }
    if (bits === 2 && s % 2 === 1 && scales[s - 1]! > scale) {
      throw new CodecParameterError('scales', 'A 2-bit chunk needs small level ≤ large level.', {
        details: `chunk ${(s - 1) / 2}`,
      });
    }
    view.setFloat32(updateHeaderBytes + 4 * s, scale, true);
  }

  const indexWriter = new BitWriter(bytes.subarray(layout.indexOffset, layout.valueOffset));
  const local = new Uint32Array(topK);
  let entry = 0;
  let start = 0;
  for (const shape of layout.shapes) {
    for (let c = 0; c < shape.count; c++, start += shape.length) {
      for (let t = 0; t < shape.kept; t++) {
        const position = indices[entry + t]! - start;
        if (position < 0 || position >= shape.length || (t > 0 && position <= local[t - 1]!)) {
          throw new CodecParameterError(
            'indices',
            'indices must be ascending, each chunk keeping its own entries.',
            {
              details: `indices[${entry + t}] = ${indices[entry + t]} in chunk [${start}, ${start + shape.length})`,
            },
          );
        }
        local[t] = position;
      }
      writeIndices(indexWriter, shape.coding, local.subarray(0, shape.kept));
      entry += shape.kept;
    }
  }

  const valueBytes = bytes.subarray(layout.valueOffset);
  const valueView = new DataView(valueBytes.buffer, valueBytes.byteOffset, valueBytes.byteLength);
  const valueWriter = new BitWriter(valueBytes);
  entry = 0;
  let chunk = 0;
  for (const shape of layout.shapes) {
    for (let c = 0; c < shape.count; c++, chunk++) {
      for (let t = 0; t < shape.kept; t++, entry++) {
        const value = values[entry]!;
        if (bits === 32) {
          if (!Number.isFinite(value)) {
            throw new CodecParameterError('values', 'values must be finite.', {
              details: `values[${entry}] = ${value}`,
            });
          }
          valueView.setFloat32(4 * entry, value, true);
          continue;
        }
        const code = codes[entry]!;
        const expected =
          bits === 8
            ? dequantize8(code === 0x80 ? NaN : (code << 24) >> 24, scales[chunk]!)
            : code > 3
              ? NaN
              : dequantize2(code, scales[2 * chunk]!, scales[2 * chunk + 1]!);
        if (!Number.isFinite(expected) || !Object.is(expected, value)) {
          throw new CodecParameterError('values', 'values must be the finite dequantized codes.', {
            details: `entry ${entry}: code ${code} gives ${expected}, values has ${value}`,
          });
        }
        if (bits === 8) bytes[layout.valueOffset + entry] = code;
        else valueWriter.write(code, 2);
      }
    }
  }
  return bytes;
}

function writeIndices(writer: BitWriter, coding: IndexCoding, local: Uint32Array): void {
  if (coding.kind === 'implicit') return;
  if (coding.kind === 'fixed') {
    for (const position of local) writer.write(position, coding.width);
    return;
  }
  const { lowBits, upperBits } = coding;
  const unit = 2 ** lowBits;
  for (const position of local) writer.write(position % unit, lowBits);
  // Upper field: a 1 at high_i + i for each entry, zeros elsewhere.
  let written = 0;
  for (let t = 0; t < local.length; t++) {
    const at = Math.floor(local[t]! / unit) + t;
    writer.skip(at - written);
    writer.write(1, 1);
    written = at + 1;
  }
  writer.skip(upperBits - written);
}
