import { blake2b } from '@noble/hashes/blake2b';
import { NonRetryableChainError } from '../../errors/chain.js';
import type { Hex32 } from '../types.js';

/** Parameters of {@link weightCommitHash}. */
export type WeightCommitHashParameters = {
  /** The hotkey's 32-byte public key (AccountId32). */
  account: Uint8Array;
  netuid: number;
  uids: number[];
  values: number[];
  /** Random u16s kept secret until the reveal. */
  salt: number[];
  versionKey: bigint;
};

/**
 * The hash `commit_weights` takes and `reveal_weights` checks: blake2-256 of the SCALE
 * encoding of the tuple `(AccountId32, u16 netuid, Vec<u16> uids, Vec<u16> values,
 * Vec<u16> salt, u64 version_key)`, as subtensor's `do_reveal_weights` recomputes it.
 *
 * @returns The 0x-prefixed hash.
 * @throws NonRetryableChainError `invalid-parameter` on a bad account, netuid, u16 value or version key.
 * @example
 * const hash = weightCommitHash({ account: hotkey.publicKey, netuid: 1, uids: [0], values: [65535], salt, versionKey: 0n });
 */
export function weightCommitHash(parameters: WeightCommitHashParameters): Hex32 {
  const { account, netuid, uids, values, salt, versionKey } = parameters;
  if (!(account instanceof Uint8Array) || account.length !== 32) {
    throw invalid('account must be a 32-byte public key.', `${account?.length} bytes`);
  }
  if (typeof versionKey !== 'bigint' || versionKey < 0n || versionKey >= 1n << 64n) {
    throw invalid('versionKey must be a u64.', String(versionKey));
  }
  const parts = [
    account,
    u16(netuid, 'netuid'),
    vecU16(uids, 'uids'),
    vecU16(values, 'values'),
    vecU16(salt, 'salt'),
  ];
  const version = new Uint8Array(8);
  new DataView(version.buffer).setBigUint64(0, versionKey, true);
  parts.push(version);
  const encoded = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    encoded.set(part, offset);
    offset += part.length;
  }
  return `0x${Buffer.from(blake2b(encoded, { dkLen: 32 })).toString('hex')}`;
}

/** SCALE compact encoding of a length (enough for any list a weight vector can be). */
function compactLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length >= 2 ** 30)
    throw invalid('Length out of range.', String(length));
  if (length < 1 << 6) return Uint8Array.of(length << 2);
  if (length < 1 << 14) {
    const out = new Uint8Array(2);
    new DataView(out.buffer).setUint16(0, (length << 2) | 1, true);
    return out;
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, ((length << 2) | 2) >>> 0, true);
  return out;
}

function u16(value: number, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff)
    throw invalid(`${what} must be a u16.`, String(value));
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, value, true);
  return out;
}

function vecU16(values: number[], what: string): Uint8Array {
  if (!Array.isArray(values)) throw invalid(`${what} must be a list.`, String(values));
  const prefix = compactLength(values.length);
  const out = new Uint8Array(prefix.length + 2 * values.length);
  out.set(prefix, 0);
  values.forEach((value, i) => out.set(u16(value, what), prefix.length + 2 * i));
  return out;
}

function invalid(message: string, details: string): NonRetryableChainError {
  return new NonRetryableChainError('invalid-parameter', message, { details });
}
