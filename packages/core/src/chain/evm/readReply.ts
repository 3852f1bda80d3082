import { getAddress, isAddress, isHexString } from 'ethers';
import { NonRetryableChainError } from '../../errors/chain.js';
import type { Address, Hex32 } from '../types.js';

const SCALE = 1_000_000_000n;

/**
 * The error for a reply the chain should never give: NonRetryableChainError `bad-response`.
 *
 * @example
 * throw malformedReply('params.deadlineGraceBlocks', 'less than blocksPerWindow', 12);
 */
export function malformedReply(field: string, expected: string, value: unknown): NonRetryableChainError {
  const shown = typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? String(value));
  return new NonRetryableChainError('bad-response', `The chain returned a malformed ${field}.`, {
    details: `expected ${expected}, got ${shown?.slice(0, 120)}`,
    hint: 'Check that the deployment points at a Tessera Subnet contract and the RPC serves that chain.',
  });
}

/**
 * Checks one value a contract call or the node returned and converts it to Tessera's types;
 * anything out of shape or range throws NonRetryableChainError `bad-response` naming the field.
 *
 * @example
 * const uid = readReply.uint(view.uid, 'neuron.uid', 0xffff);
 * const incentive = readReply.fraction(view.incentive, 'neuron.incentive');
 */
export const readReply = {
  /** A 20-byte address, returned checksummed. */
  address(value: unknown, field: string): Address {
    if (typeof value !== 'string' || !isAddress(value)) throw malformedReply(field, 'an address', value);
    return getAddress(value) as Address;
  },

  /** A 32-byte hex string, returned lower-case. */
  hex32(value: unknown, field: string): Hex32 {
    if (typeof value !== 'string' || !isHexString(value, 32))
      throw malformedReply(field, 'a 32-byte hex string', value);
    return value.toLowerCase() as Hex32;
  },

  /** A non-negative integer (bigint or number) no larger than `max`, as a number. */
  uint(value: unknown, field: string, max: number = Number.MAX_SAFE_INTEGER): number {
    const n =
      typeof value === 'bigint'
        ? value
        : typeof value === 'number' && Number.isInteger(value)
          ? BigInt(value)
          : undefined;
    if (n === undefined || n < 0n || n > BigInt(max))
      throw malformedReply(field, `an integer in [0, ${max}]`, value);
    return Number(n);
  },

  /** A non-negative bigint amount. */
  amount(value: unknown, field: string): bigint {
    if (typeof value !== 'bigint' || value < 0n)
      throw malformedReply(field, 'a non-negative integer amount', value);
    return value;
  },

  /** A fraction stored scaled by 1e9, returned in [0, 1]. */
  fraction(value: unknown, field: string): number {
    if (typeof value !== 'bigint' || value < 0n || value > SCALE)
      throw malformedReply(field, 'an integer in [0, 1e9]', value);
    return Number(value) / 1e9;
  },

  boolean(value: unknown, field: string): boolean {
    if (typeof value !== 'boolean') throw malformedReply(field, 'a boolean', value);
    return value;
  },

  string(value: unknown, field: string): string {
    if (typeof value !== 'string') throw malformedReply(field, 'a string', value);
    return value;
  },

  /** A list of u16 uids, strictly ascending. */
  ascendingUids(value: unknown, field: string): number[] {
    if (!Array.isArray(value) && !(typeof value === 'object' && value !== null && Symbol.iterator in value))
      throw malformedReply(field, 'a list of uids', value);
    const uids = Array.from(value as Iterable<unknown>, (uid, i) =>
      readReply.uint(uid, `${field}[${i}]`, 0xffff),
    );
    for (let i = 1; i < uids.length; i++) {
      if ((uids[i] as number) <= (uids[i - 1] as number))
        throw malformedReply(field, 'strictly ascending uids', uids);
    }
    return uids;
  },
};
