import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import { NonRetryableChainError } from '../../errors/chain.js';
import type { Address } from '../types.js';

const HEX_ACCOUNT = /^0x[0-9a-fA-F]{64}$/;

/**
 * Writes a Substrate account (32-byte public key) as the `Address` Tessera's interface
 * carries: `0x` and 64 lowercase hex digits. Unlike EVM addresses it is 32 bytes long; SS58
 * is only for display (see {@link accountToSs58}).
 *
 * @example
 * accountToAddress(pair.publicKey); // '0xd43593c7...'
 */
export function accountToAddress(publicKey: Uint8Array): Address {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new NonRetryableChainError('bad-response', 'An account id is not 32 bytes.', {
      details: `${publicKey?.length} bytes`,
    });
  }
  return `0x${Buffer.from(publicKey).toString('hex')}`;
}

/**
 * Reads an account given as `0x` + 64 hex digits or as an SS58 string.
 *
 * @returns The 32-byte public key.
 * @throws NonRetryableChainError `invalid-parameter` for anything else (an EVM address included).
 * @example
 * addressToAccount('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
 */
export function addressToAccount(address: string): Uint8Array {
  if (typeof address === 'string' && HEX_ACCOUNT.test(address))
    return Uint8Array.from(Buffer.from(address.slice(2), 'hex'));
  try {
    const account = decodeAddress(address);
    if (account.length === 32) return account;
  } catch {
    // reported below
  }
  throw new NonRetryableChainError('invalid-parameter', 'Not a Substrate account.', {
    details: String(address),
    hint: 'Pass 0x and 64 hex digits (the public key) or an SS58 address; 20-byte EVM addresses do not name Bittensor accounts.',
  });
}

/**
 * Writes an account in SS58 for people and for tools like btcli.
 *
 * @example
 * accountToSs58({ account: addressToAccount(chain.address) }); // '5Grwva...'
 */
export function accountToSs58(parameters: { account: Uint8Array; ss58Format?: number | undefined }): string {
  return encodeAddress(parameters.account, parameters.ss58Format ?? 42);
}
