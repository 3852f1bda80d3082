import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { WindowVerdictsError } from '../errors/verdicts.js';

/** The `format` field of every verdicts file. */
export const WINDOW_VERDICTS_FORMAT = 'tessera-window-verdicts';

/** The largest verdicts file a reader accepts by default: 4 MiB (65 536 uids fit with room). */
export const MAX_WINDOW_VERDICTS_BYTES = 4 << 20;

/** One miner's verdict in a window, as its validator publishes it. */
export type UidVerdict = {
  uid: number;
  /** `scored`, or `rejected` with a reason. */
  status: 'scored' | 'rejected';
  /**
   * The rejection's code (`missing`, `missing:late`, `out-of-sync`, `not-assigned`,
   * `malformed:<why>`, …); null when scored.
   */
  reason: string | null;
  /** The window's score: the update's gain in units of the reference update's (0 when rejected). */
  score: number;
  /**
   * Loss gain on the window's unseen pages, `before − after` in nats per token; null when the
   * losses were not measured (most rejections).
   */
  lossGain: number | null;
  /** Whether the update is in the aggregation set the validator published. */
  inAggregate: boolean;
};

/** What a validator says about one window, published beside its aggregate's model file. */
export type WindowVerdicts = {
  format: typeof WINDOW_VERDICTS_FORMAT;
  version: 1;
  window: number;
  /** The validator's address (hotkey) as the chain writes it in the aggregate record. */
  validator: string;
  /** modelHash(θ_{w+1}) of the aggregate the file belongs to. */
  modelHash: `0x${string}`;
  /** The aggregation set, ascending (the aggregate record's `uids`). */
  uids: number[];
  /** Every miner of the metagraph, by uid ascending. */
  verdicts: UidVerdict[];
  /** keccak256 of {@link canonicalVerdictsBody} of the fields above, 0x hex. */
  digest: `0x${string}`;
};

/** The fields of {@link WindowVerdicts} the digest covers. */
export type WindowVerdictsBody = Omit<WindowVerdicts, 'format' | 'version' | 'digest'>;

/**
 * The exact bytes the digest is taken over: the body's JSON with a fixed field order (format,
 * version, window, validator, modelHash lower case, uids, then each verdict's uid, status,
 * reason, score, lossGain, inAggregate).
 *
 * @example
 * const digest = `0x${bytesToHex(keccak_256(canonicalVerdictsBody(body)))}`;
 */
export function canonicalVerdictsBody(body: WindowVerdictsBody): Uint8Array {
  const ordered = {
    format: WINDOW_VERDICTS_FORMAT,
    version: 1,
    window: body.window,
    validator: body.validator,
    modelHash: body.modelHash.toLowerCase(),
    uids: body.uids,
    verdicts: body.verdicts.map((v) => ({
      uid: v.uid,
      status: v.status,
      reason: v.reason,
      score: v.score,
      lossGain: v.lossGain,
      inAggregate: v.inAggregate,
    })),
  };
  return new TextEncoder().encode(JSON.stringify(ordered));
}

/** keccak256 of the canonical body, 0x-prefixed lower-case hex. */
export function digestVerdictsBody(body: WindowVerdictsBody): `0x${string}` {
  return `0x${bytesToHex(keccak_256(canonicalVerdictsBody(body)))}`;
}

/**
 * Encodes a window's verdicts as the file a validator stores beside θ_{w+1}: the canonical
 * body with its `digest` added. Checks the values against the schema readers hold it to.
 *
 * @returns The file's bytes and its digest.
 * @throws WindowVerdictsError `invalid-parameter` for a value readers would refuse.
 * @example
 * const { bytes } = encodeWindowVerdicts({ window: 7, validator, modelHash, uids: [1, 3], verdicts });
 */
export function encodeWindowVerdicts(body: WindowVerdictsBody): { bytes: Uint8Array; digest: `0x${string}` } {
  const problem = verdictsBodyProblem(body);
  if (problem !== undefined)
    throw new WindowVerdictsError('invalid-parameter', 'Invalid window verdicts.', { details: problem });
  const digest = digestVerdictsBody(body);
  const canonical = new TextDecoder().decode(canonicalVerdictsBody(body));
  const bytes = new TextEncoder().encode(`${canonical.slice(0, -1)},"digest":"${digest}"}\n`);
  return { bytes, digest };
}

/**
 * Where the verdicts of an aggregate lie: its model file's URI with `.ckpt` replaced by
 * `.verdicts.json` (appended when the URI has no `.ckpt` ending), so the aggregate's on-chain
 * record names both and no field is added to it.
 *
 * @example
 * windowVerdictsUri('http://10.0.0.7:8080/models/w00000043-1a2b3c4d5e6f7a8b.ckpt');
 * // 'http://10.0.0.7:8080/models/w00000043-1a2b3c4d5e6f7a8b.verdicts.json'
 */
export function windowVerdictsUri(aggregateUri: string): string {
  return aggregateUri.endsWith('.ckpt')
    ? `${aggregateUri.slice(0, -'.ckpt'.length)}.verdicts.json`
    : `${aggregateUri}.verdicts.json`;
}

const HEX32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;
const REASON = /^[a-z][a-z0-9-]*(?::[a-z0-9-]+)?$/;

const isUid = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535;

/** The first way `body` breaks the schema, or undefined when it fits. */
export function verdictsBodyProblem(body: WindowVerdictsBody): string | undefined {
  if (!Number.isSafeInteger(body.window) || body.window < 0) return 'window: a non-negative integer';
  if (typeof body.validator !== 'string' || !ADDRESS.test(body.validator))
    return 'validator: 0x and 40 or 64 hex digits';
  if (typeof body.modelHash !== 'string' || !HEX32.test(body.modelHash))
    return 'modelHash: 0x and 64 hex digits';
  if (!Array.isArray(body.uids)) return 'uids: an array';
  for (const [i, uid] of body.uids.entries()) {
    if (!isUid(uid)) return `uids/${i}: a uid (0 to 65535)`;
    if (i > 0 && uid <= body.uids[i - 1]!) return `uids/${i}: ascending and distinct`;
  }
  if (!Array.isArray(body.verdicts)) return 'verdicts: an array';
  const members = new Set(body.uids);
  for (const [i, v] of body.verdicts.entries()) {
    const at = `verdicts/${i}`;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return `${at}: an object`;
    const keys = Object.keys(v).sort().join(',');
    if (keys !== 'inAggregate,lossGain,reason,score,status,uid')
      return `${at}: exactly uid, status, reason, score, lossGain, inAggregate`;
    if (!isUid(v.uid)) return `${at}/uid: a uid (0 to 65535)`;
    if (i > 0 && v.uid <= body.verdicts[i - 1]!.uid) return `${at}/uid: ascending and distinct`;
    if (v.status !== 'scored' && v.status !== 'rejected') return `${at}/status: scored or rejected`;
    if (v.status === 'scored' && v.reason !== null) return `${at}/reason: null when scored`;
    if (
      v.status === 'rejected' &&
      (typeof v.reason !== 'string' || v.reason.length > 64 || !REASON.test(v.reason))
    )
      return `${at}/reason: a rejection code such as missing:late`;
    if (typeof v.score !== 'number' || !Number.isFinite(v.score) || v.score < 0)
      return `${at}/score: finite, ≥ 0`;
    if (v.status === 'rejected' && v.score !== 0) return `${at}/score: 0 when rejected`;
    if (v.lossGain !== null && (typeof v.lossGain !== 'number' || !Number.isFinite(v.lossGain)))
      return `${at}/lossGain: a finite number or null`;
    if (typeof v.inAggregate !== 'boolean') return `${at}/inAggregate: a boolean`;
    if (v.inAggregate !== members.has(v.uid))
      return `${at}/inAggregate: true exactly for the uids of the set`;
    if (v.inAggregate && v.status !== 'scored')
      return `${at}/inAggregate: only a scored update is aggregated`;
  }
  const listed = new Set(body.verdicts.map((v) => v.uid));
  for (const uid of body.uids) if (!listed.has(uid)) return `uids: ${uid} has no verdict`;
  return undefined;
}
