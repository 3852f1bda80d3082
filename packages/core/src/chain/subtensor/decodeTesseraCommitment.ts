import type { Hex32 } from '../types.js';
import {
  TESSERA_COMMITMENT_MAGIC,
  TESSERA_COMMITMENT_VERSION,
  TESSERA_RECORD_KIND,
} from './encodeTesseraCommitment.js';
import type { TesseraRecord } from './types.js';

/**
 * Why a payload is not a valid Tessera commitment: `bad-length` is a fixed-size record
 * (`run-config`) whose body is shorter or longer than its size.
 */
export type TesseraCommitmentRejection =
  | 'not-tessera'
  | 'unsupported-version'
  | 'truncated'
  | 'duplicate-kind'
  | 'bad-uri'
  | 'bad-uids'
  | 'bad-norm-bound'
  | 'bad-length';

/** Result of {@link decodeTesseraCommitment}. */
export type DecodeTesseraCommitmentResult =
  { ok: true; records: TesseraRecord[] } | { ok: false; reason: TesseraCommitmentRejection };

const RUN_CONFIG_BODY = 32;

const KIND_BY_BYTE = new Map<number, TesseraRecord['kind']>(
  Object.entries(TESSERA_RECORD_KIND).map(([kind, byte]) => [byte, kind as TesseraRecord['kind']]),
);

/**
 * Decodes a commitment payload written by `encodeTesseraCommitment`, strictly.
 *
 * Commitments on a subnet are written by anyone registered, so a payload that is not ours or
 * is malformed is reported, never thrown: readers skip it. Records of an unknown kind are
 * skipped (their length prefix makes that safe), so later versions can add kinds. Only the
 * current layout version is read; an aggregate's norm bound must be a positive finite float32,
 * and a `run-config` body exactly 32 bytes.
 *
 * @returns The records, or the reason the payload was rejected.
 * @example
 * const result = decodeTesseraCommitment(payload);
 * if (result.ok) for (const record of result.records) console.log(record.kind, record.window);
 */
export function decodeTesseraCommitment(payload: Uint8Array): DecodeTesseraCommitmentResult {
  if (payload.length < 2 || payload[0] !== TESSERA_COMMITMENT_MAGIC)
    return { ok: false, reason: 'not-tessera' };
  if (payload[1] !== TESSERA_COMMITMENT_VERSION) return { ok: false, reason: 'unsupported-version' };
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const records: TesseraRecord[] = [];
  const seen = new Set<number>();
  let offset = 2;
  while (offset < payload.length) {
    if (offset + 3 > payload.length) return { ok: false, reason: 'truncated' };
    const kindByte = view.getUint8(offset);
    const length = view.getUint16(offset + 1, true);
    const start = offset + 3;
    const end = start + length;
    if (end > payload.length) return { ok: false, reason: 'truncated' };
    offset = end;
    const kind = KIND_BY_BYTE.get(kindByte);
    if (kind === undefined) continue;
    if (seen.has(kindByte)) return { ok: false, reason: 'duplicate-kind' };
    seen.add(kindByte);
    const body = payload.subarray(start, end);
    const record = decodeBody(kind, body);
    if ('reason' in record) return { ok: false, reason: record.reason };
    records.push(record);
  }
  return { ok: true, records };
}

function decodeBody(
  kind: TesseraRecord['kind'],
  body: Uint8Array,
): TesseraRecord | { reason: TesseraCommitmentRejection } {
  if (kind === 'run-config')
    return body.length === RUN_CONFIG_BODY ? { kind, hash: hex(body) } : { reason: 'bad-length' };
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const fixed = kind === 'update' ? 68 : kind === 'aggregate' ? 42 : 36;
  if (body.length < fixed) return { reason: 'truncated' };
  const window = view.getUint32(0, true);
  if (kind === 'update') {
    const uri = text(body.subarray(68));
    if (uri === undefined) return { reason: 'bad-uri' };
    return { kind, window, digest: hex(body.subarray(4, 36)), modelHash: hex(body.subarray(36, 68)), uri };
  }
  const modelHash = hex(body.subarray(4, 36));
  if (kind === 'checkpoint') {
    const uri = text(body.subarray(36));
    if (uri === undefined) return { reason: 'bad-uri' };
    return { kind, window, modelHash, uri };
  }
  const normBound = view.getFloat32(36, true);
  if (!Number.isFinite(normBound) || normBound <= 0) return { reason: 'bad-norm-bound' };
  const count = view.getUint16(40, true);
  const uriStart = 42 + 2 * count;
  if (body.length < uriStart) return { reason: 'truncated' };
  const uids: number[] = [];
  for (let i = 0; i < count; i++) {
    const uid = view.getUint16(42 + 2 * i, true);
    if (i > 0 && uid <= (uids[i - 1] as number)) return { reason: 'bad-uids' };
    uids.push(uid);
  }
  const uri = text(body.subarray(uriStart));
  if (uri === undefined) return { reason: 'bad-uri' };
  return { kind, window, modelHash, normBound, uids, uri };
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function text(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0) return undefined;
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): Hex32 {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}
