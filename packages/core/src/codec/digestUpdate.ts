import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CodecParameterError } from '../errors/codec.js';

/**
 * The digest a miner commits on chain for an update: keccak256 of its exact bytes, as
 * 0x-prefixed lowercase hex.
 *
 * @throws CodecParameterError when `bytes` is not a Uint8Array.
 * @example
 * const digest = digestUpdate(bytes); // '0x6e1f…'
 * if (digest !== commitment.digest) reject('digest-mismatch');
 */
export function digestUpdate(bytes: Uint8Array): `0x${string}` {
  if (!(bytes instanceof Uint8Array)) throw new CodecParameterError('bytes', 'bytes must be a Uint8Array.');
  return `0x${bytesToHex(keccak_256(bytes))}`;
}
