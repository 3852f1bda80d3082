import { getAddress, isAddress, isHexString } from 'ethers';
import { NonRetryableChainError } from '../errors/chain.js';
import type { Address, Hex32 } from './types.js';

const UINT256_LIMIT = 1n << 256n;

function invalid(message: string, value: unknown): NonRetryableChainError {
  const shown = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return new NonRetryableChainError('invalid-parameter', message, { details: shown.slice(0, 120) });
}

/**
 * Checks the arguments a caller passes to a chain backend (the EVM one and the in-memory one) before anything is sent; a bad one
 * throws NonRetryableChainError `invalid-parameter` naming it.
 *
 * @example
 * const window = checkInput.uint(parameters.window, 'window', 2 ** 53 - 1);
 * const uids = checkInput.uids(parameters.uids, 'uids');
 */
export const checkInput = {
  /** A non-negative safe integer no larger than `max`. */
  uint(value: unknown, name: string, max: number = Number.MAX_SAFE_INTEGER): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max)
      throw invalid(`${name} must be an integer in [0, ${max}].`, value);
    return value;
  },

  /** A u16 uid. */
  uid(value: unknown, name: string): number {
    return checkInput.uint(value, name, 0xffff);
  },

  /** A 32-byte 0x-hex string (digest, model hash), returned lower-case. */
  hex32(value: unknown, name: string): Hex32 {
    if (typeof value !== 'string' || !isHexString(value, 32))
      throw invalid(`${name} must be a 0x-prefixed 32-byte hex string.`, value);
    return value.toLowerCase() as Hex32;
  },

  /** An account address, returned checksummed. */
  address(value: unknown, name: string): Address {
    if (typeof value !== 'string' || !isAddress(value))
      throw invalid(`${name} must be a 20-byte 0x address.`, value);
    return getAddress(value) as Address;
  },

  /** A token amount: a positive bigint below 2^256. */
  amount(value: unknown, name: string): bigint {
    if (typeof value !== 'bigint' || value <= 0n || value >= UINT256_LIMIT)
      throw invalid(`${name} must be a positive bigint amount in the token's smallest unit.`, value);
    return value;
  },

  /** A uri of at most `maxBytes` UTF-8 bytes; empty only when `allowEmpty`. */
  uri(value: unknown, name: string, maxBytes: number, allowEmpty: boolean): string {
    if (typeof value !== 'string') throw invalid(`${name} must be a string.`, value);
    const bytes = Buffer.byteLength(value, 'utf8');
    if ((bytes === 0 && !allowEmpty) || bytes > maxBytes)
      throw invalid(
        `${name} must be ${allowEmpty ? '' : '1 to '}${maxBytes} bytes long (the subnet's maxUriLength).`,
        `${bytes} bytes`,
      );
    return value;
  },

  /** Distinct u16 uids, returned ascending. */
  uids(value: unknown, name: string): number[] {
    if (!Array.isArray(value)) throw invalid(`${name} must be a list of uids.`, value);
    const uids = value.map((uid, i) => checkInput.uid(uid, `${name}[${i}]`)).sort((a, b) => a - b);
    for (let i = 1; i < uids.length; i++) {
      if (uids[i] === uids[i - 1]) throw invalid(`${name} lists uid ${uids[i]} twice.`, value);
    }
    return uids;
  },
};
