/** One tensor read by {@link parseSafetensors}. */
export type ParsedTensor = { dtype: string; shape: number[]; data: Float32Array };

/**
 * A strict safetensors reader for tests, written from the format's description rather than
 * from `encodeSafetensors`: u64 little-endian header length, a JSON object starting with
 * `{` and padded only with spaces, data starting 8-byte aligned, every tensor F32 with
 * offsets that fit its shape and together cover the data exactly, in offset order, without
 * gaps or overlaps.
 *
 * @returns The tensors by name, the metadata, and the names in offset order.
 * @throws Error naming the first rule the bytes break.
 * @example
 * const { tensors } = parseSafetensors(bytes);
 */
export function parseSafetensors(bytes: Uint8Array): {
  tensors: Map<string, ParsedTensor>;
  metadata: Record<string, string> | undefined;
  order: string[];
} {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) throw new Error('shorter than the length prefix');
  const n = Number(view.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error('header runs past the end');
  if ((8 + n) % 8 !== 0) throw new Error('data does not start 8-byte aligned');
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  if (!text.startsWith('{')) throw new Error('header does not start with {');
  const trimmed = text.replace(/ +$/, '');
  if (!trimmed.endsWith('}')) throw new Error('header padded with something other than spaces');
  const header = JSON.parse(trimmed) as Record<string, unknown>;
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> | undefined;
  const entries: { name: string; dtype: string; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const v of Object.values(value as object))
        if (typeof v !== 'string') throw new Error('metadata value not a string');
      metadata = value as Record<string, string>;
      continue;
    }
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = value as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (dtype !== 'F32') throw new Error(`${name}: dtype ${dtype}`);
    const size = shape.reduce((a, b) => a * b, 1);
    if (offsets[1] - offsets[0] !== size * 4) throw new Error(`${name}: offsets do not fit shape`);
    entries.push({ name, dtype, shape, begin: offsets[0], end: offsets[1] });
  }
  entries.sort((a, b) => a.begin - b.begin);
  let expected = 0;
  for (const entry of entries) {
    if (entry.begin !== expected) throw new Error(`${entry.name}: gap or overlap at ${entry.begin}`);
    expected = entry.end;
  }
  if (expected !== dataLength) throw new Error(`tensors cover ${expected} of ${dataLength} data bytes`);
  const tensors = new Map<string, ParsedTensor>();
  for (const { name, dtype, shape, begin, end } of entries) {
    const data = new Float32Array((end - begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + begin + i * 4, true);
    tensors.set(name, { dtype, shape, data });
  }
  return { tensors, metadata, order: entries.map((e) => e.name) };
}
