import { NonRetryableChainError } from '../../errors/chain.js';
import { checkNormBound } from '../checkNormBound.js';
import type { Hex32 } from '../types.js';
import type { TesseraRecord } from './types.js';

/** First byte of every Tessera commitment payload ('T'); other software's commitments are skipped. */
export const TESSERA_COMMITMENT_MAGIC = 0x54;
/** Layout version, second byte of the payload (2: aggregates carry their norm bound). */
export const TESSERA_COMMITMENT_VERSION = 2;
/**
 * Record kind bytes. `run-config` (4) came after version 2 was out without a version bump:
 * decoders that predate it skip it as a kind they do not know.
 */
export const TESSERA_RECORD_KIND = { update: 1, aggregate: 2, checkpoint: 3, 'run-config': 4 } as const;

const MAX_U32 = 0xffff_ffff;
const MAX_BODY = 0xffff;
const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Parameters of {@link encodeTesseraCommitment}. */
export type EncodeTesseraCommitmentParameters = {
  /** At most one record of each kind. */
  records: TesseraRecord[];
};

/**
 * Encodes Tessera records into one compact commitment payload.
 *
 * Layout (all integers little-endian):
 * ```
 * payload    = magic 0x54 | version 0x02 | record*
 * record     = kind u8 | bodyLength u16 | body
 * update     (1) = window u32 | digest[32] | modelHash[32] | uri (UTF-8, rest of body)
 * aggregate  (2) = window u32 | modelHash[32] | normBound f32 | count u16 | uid u16 × count (ascending) | uri
 * checkpoint (3) = window u32 | modelHash[32] | uri
 * run-config (4) = runConfigHash[32] (exactly 32 bytes)
 * ```
 * `normBound` is the IEEE-754 float32 the aggregate's members were clipped to (positive, finite).
 * A `run-config` record counts only in the subnet owner's hotkey's commitment.
 * A miner's update is 73 bytes plus its uri. The payload is then cut into the pallet's `Raw`
 * fields by `splitCommitmentFields`.
 *
 * @returns The payload bytes.
 * @throws NonRetryableChainError `invalid-parameter` on a bad window, hash, norm bound, uri or uid list.
 * @example
 * const payload = encodeTesseraCommitment({
 *   records: [{ kind: 'update', window: 7, digest, modelHash, uri: 'http://10.0.0.5:8080/u/7' }],
 * });
 */
export function encodeTesseraCommitment(parameters: EncodeTesseraCommitmentParameters): Uint8Array {
  const { records } = parameters;
  if (!Array.isArray(records) || records.length === 0)
    throw invalid('A commitment needs at least one record.');
  const seen = new Set<string>();
  const parts: Uint8Array[] = [Uint8Array.of(TESSERA_COMMITMENT_MAGIC, TESSERA_COMMITMENT_VERSION)];
  for (const record of records) {
    if (seen.has(record.kind)) throw invalid(`Two ${record.kind} records in one commitment.`);
    seen.add(record.kind);
    const body = encodeBody(record);
    if (body.length > MAX_BODY)
      throw invalid(`The ${record.kind} record is too long.`, `${body.length} > ${MAX_BODY} bytes`);
    const header = new Uint8Array(3);
    header[0] = TESSERA_RECORD_KIND[record.kind];
    new DataView(header.buffer).setUint16(1, body.length, true);
    parts.push(header, body);
  }
  return concat(parts);
}

function encodeBody(record: TesseraRecord): Uint8Array {
  if (record.kind === 'run-config') return hex32(record.hash, 'hash');
  const window = u32(record.window, 'window');
  const modelHash = hex32(record.modelHash, 'modelHash');
  const uri = utf8(record.uri);
  switch (record.kind) {
    case 'update':
      return concat([window, hex32(record.digest, 'digest'), modelHash, uri]);
    case 'checkpoint':
      return concat([window, modelHash, uri]);
    case 'aggregate': {
      const uids = record.uids;
      if (!Array.isArray(uids) || uids.length > 0xffff)
        throw invalid('Aggregate uids must be a list of at most 65535 uids.');
      const list = new Uint8Array(2 + 2 * uids.length);
      const view = new DataView(list.buffer);
      view.setUint16(0, uids.length, true);
      uids.forEach((uid, i) => {
        if (!Number.isInteger(uid) || uid < 0 || uid > 0xffff)
          throw invalid('Aggregate uid out of range.', String(uid));
        if (i > 0 && uid <= (uids[i - 1] as number))
          throw invalid('Aggregate uids must be ascending and distinct.');
        view.setUint16(2 + 2 * i, uid, true);
      });
      const normBound = new Uint8Array(4);
      new DataView(normBound.buffer).setFloat32(0, checkNormBound(record.normBound, 'normBound'), true);
      return concat([window, modelHash, normBound, list, uri]);
    }
    default:
      throw invalid('Unknown record kind.', String((record as { kind: unknown }).kind));
  }
}

function u32(value: number, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U32)
    throw invalid(`${what} must be an integer in [0, 2^32).`, String(value));
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

function hex32(value: Hex32, what: string): Uint8Array {
  if (typeof value !== 'string' || !HEX32.test(value))
    throw invalid(`${what} must be 0x and 64 hex digits.`, String(value));
  return Uint8Array.from(Buffer.from(value.slice(2), 'hex'));
}

function utf8(uri: string): Uint8Array {
  if (typeof uri !== 'string' || uri.length === 0) throw invalid('uri must be a non-empty string.');
  if (LONE_SURROGATE.test(uri)) throw invalid('uri holds a lone surrogate and cannot be UTF-8 encoded.');
  return new TextEncoder().encode(uri);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function invalid(message: string, details?: string): NonRetryableChainError {
  return new NonRetryableChainError('invalid-parameter', message, { details });
}
