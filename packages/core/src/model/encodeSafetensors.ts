import { ModelError } from '../errors/model.js';

/** One float32 tensor for {@link encodeSafetensors}. */
export type SafetensorsTensor = {
  name: string;
  /** Dimensions, each a non-negative integer; `[]` for a scalar. */
  shape: readonly number[];
  /** Row-major values, as many as the shape's product. */
  data: Float32Array;
};

/** Parameters of {@link encodeSafetensors}. */
export type EncodeSafetensorsParameters = {
  tensors: readonly SafetensorsTensor[];
  /** String pairs stored under the header's `__metadata__`. */
  metadata?: Readonly<Record<string, string>> | undefined;
};

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes tensors in the safetensors format (huggingface/safetensors): an unsigned 64-bit
 * little-endian header length N, N bytes of UTF-8 JSON mapping each name to
 * `{ "dtype": "F32", "shape": [...], "data_offsets": [begin, end] }` (byte offsets into the
 * data that follows) with the string pairs under `__metadata__`, padded with spaces so the
 * data starts on a multiple of 8 bytes, then the tensors' bytes, little-endian, contiguous
 * and in the order given. Written by hand: the npm registry has no maintained safetensors
 * writer for JavaScript (`@huggingface/hub` only parses headers), and the format is this
 * small.
 *
 * @returns The file's bytes.
 * @throws ModelError `invalid-parameter` for an empty, reserved or duplicate name, a shape
 *   that is not a list of non-negative integers, data that does not fill its shape, or
 *   metadata that is not a string map.
 * @example
 * const bytes = encodeSafetensors({ tensors: [{ name: 'wte.weight', shape: [512, 64], data }] });
 */
export function encodeSafetensors(parameters: EncodeSafetensorsParameters): Uint8Array {
  const bad = (message: string, details: string): never => {
    throw new ModelError('invalid-parameter', message, { details });
  };
  const header: Record<string, unknown> = {};
  const { metadata } = parameters;
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null)
      bad('Metadata must be a string map.', String(metadata));
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') bad('Metadata values must be strings.', `${key}: ${typeof value}`);
    }
    header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  for (const { name, shape, data } of parameters.tensors) {
    if (typeof name !== 'string' || name === '' || name === '__metadata__' || Object.hasOwn(header, name)) {
      bad('Tensors need distinct, non-empty names other than __metadata__.', `name ${JSON.stringify(name)}`);
    }
    if (!Array.isArray(shape) || !shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      bad('A tensor shape is a list of non-negative integers.', `${name}: shape ${JSON.stringify(shape)}`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (!(data instanceof Float32Array) || data.length !== size) {
      bad(
        'Tensor data must be a Float32Array that fills its shape.',
        `${name}: shape [${shape.join(', ')}], ${data?.length} values`,
      );
    }
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + size * 4] };
    offset += size * 4;
  }
  const encoder = new TextEncoder();
  const json = encoder.encode(JSON.stringify(header));
  const headerLength = json.length + ((8 - (json.length % 8)) % 8);
  const bytes = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const { data } of parameters.tensors) {
    if (littleEndian) {
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
      at += data.byteLength;
    } else {
      for (let i = 0; i < data.length; i++, at += 4) view.setFloat32(at, data[i] as number, true);
    }
  }
  return bytes;
}
