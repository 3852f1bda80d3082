import type { Address } from '../types.js';

/**
 * Reads a Substrate account given as SS58 (`5Grwva…`) or `0x` + 64 hex as the `Address` the
 * subtensor backend uses (`0x` + 64 lowercase hex). Loads @polkadot/util-crypto on first use,
 * so importing `@tessera/core` stays cheap.
 *
 * @throws NonRetryableChainError `invalid-parameter` when it is neither (a bad SS58 checksum included).
 * @example
 * await parseSubstrateAddress('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY'); // '0xd43593c7…'
 */
export async function parseSubstrateAddress(text: string): Promise<Address> {
  const { accountToAddress, addressToAccount } = await import('./accountAddress.js');
  return accountToAddress(addressToAccount(text));
}
