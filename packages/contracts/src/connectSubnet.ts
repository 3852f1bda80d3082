import { Contract } from 'ethers';
import type { ContractRunner } from 'ethers';
import { abi as subnetAbi } from './generated/Subnet.js';
import { abi as tokenAbi } from './generated/TesseraToken.js';
import type { TypedContract } from './typedContract.js';

/** The Subnet contract, typed from its ABI. */
export type SubnetContract = TypedContract<typeof subnetAbi>;

/** The reward token (ERC-20 plus `minter` and `mint`), typed from its ABI. */
export type TokenContract = TypedContract<typeof tokenAbi>;

/** Parameters of {@link connectSubnet} and {@link connectToken}. */
export type ConnectParameters = {
  address: string;
  /** A signer to send transactions, or a provider for reads only. */
  runner: ContractRunner | null;
};

/**
 * A typed ethers v6 handle on a deployed Subnet.
 *
 * @example
 * const subnet = connectSubnet({ address: deployment.subnet, runner: wallet });
 * const tx = await subnet.commit(window, digest, uri, modelHash);
 * await waitForReceipt({ provider, hash: tx.hash });
 * const neurons = await subnet.metagraph();
 */
export function connectSubnet(parameters: ConnectParameters): SubnetContract {
  return new Contract(parameters.address, subnetAbi, parameters.runner) as unknown as SubnetContract;
}

/**
 * A typed ethers v6 handle on a deployed reward token.
 *
 * @example
 * const token = connectToken({ address: deployment.token, runner: wallet });
 * const tx = await token.approve(deployment.subnet, amount);
 * await waitForReceipt({ provider, hash: tx.hash });
 */
export function connectToken(parameters: ConnectParameters): TokenContract {
  return new Contract(parameters.address, tokenAbi, parameters.runner) as unknown as TokenContract;
}
