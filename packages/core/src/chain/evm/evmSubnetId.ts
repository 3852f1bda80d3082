import { getAddress } from 'ethers';

/**
 * The `subnetId` of a Subnet contract: `evm:<chainId>:<address, checksummed>`. The same for
 * every participant, whatever case the deployment file spells the address in.
 *
 * @example
 * evmSubnetId({ chainId: 31337, subnet: '0x5fbdb2315678afecb367f032d93f642f64180aa3' });
 * // 'evm:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3'
 */
export function evmSubnetId(parameters: { chainId: number; subnet: string }): string {
  return `evm:${parameters.chainId}:${getAddress(parameters.subnet)}`;
}
