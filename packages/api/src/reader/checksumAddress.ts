import { getAddress } from 'ethers';

const cache = new Map<string, string>();
const maxCached = 10_000;

/**
 * EIP-55 checksummed form of an address, remembered for the addresses asked about most
 * recently (checksumming hashes the address; the API sees the same accounts again and again).
 *
 * @throws Error (from ethers) for a malformed address or a mixed-case one with a wrong checksum.
 * @example
 * checksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'); // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
 */
export function checksumAddress(address: string): string {
  let checksummed = cache.get(address);
  if (checksummed === undefined) {
    checksummed = getAddress(address);
    if (cache.size >= maxCached) cache.clear();
    cache.set(address, checksummed);
  }
  return checksummed;
}
