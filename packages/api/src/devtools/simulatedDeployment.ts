import { resolveSubnetParams } from '@tessera/contracts';
import type { Address, Deployment, SubnetParamsInput } from '@tessera/contracts';
import { dataSlice, getAddress, id } from 'ethers';

/**
 * A deployment record for a subnet that exists only as simulated events (no chain): fixed
 * made-up addresses, the given parameters over the defaults, deployed at `params.startBlock`.
 *
 * @example
 * const deployment = simulatedDeployment({ params: { blocksPerWindow: 10, windowsPerEpoch: 2 } });
 */
export function simulatedDeployment(
  parameters: { params?: Partial<SubnetParamsInput> | undefined; name?: string } = {},
): Deployment {
  const name = parameters.name ?? 'simulated';
  const address = (what: string) => getAddress(dataSlice(id(`tessera-${name}-${what}`), 12)) as Address;
  const owner = address('owner');
  const params = resolveSubnetParams({ owner, startBlock: 100, ...parameters.params } as SubnetParamsInput);
  const zeroHash = `0x${'0'.repeat(64)}` as const;
  return {
    version: 1,
    chainId: 31337,
    subnet: address('subnet'),
    token: address('token'),
    settlementLibrary: address('library'),
    deployer: owner,
    deployBlock: params.startBlock,
    params,
    tokenInfo: {
      name: 'Tessera',
      symbol: 'TSR',
      genesisHolder: owner,
      genesisSupply: 1_000_000n * 10n ** 18n,
    },
    transactions: { settlementLibrary: zeroHash, token: zeroHash, subnet: zeroHash },
  };
}
