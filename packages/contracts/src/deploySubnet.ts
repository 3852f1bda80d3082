import { ContractFactory, getAddress, getCreateAddress } from 'ethers';
import type { ContractTransactionResponse, Signer } from 'ethers';
import { connectSubnet } from './connectSubnet.js';
import { DeployError, InvalidSubnetParamsError } from './errors.js';
import { abi as settlementAbi, bytecode as settlementBytecode } from './generated/SubnetSettlement.js';
import { abi as subnetAbi, bytecode as subnetBytecode, linkReferences } from './generated/Subnet.js';
import { abi as tokenAbi, bytecode as tokenBytecode } from './generated/TesseraToken.js';
import { linkBytecode } from './linkBytecode.js';
import type { Deployment, Hash } from './loadDeployment.js';
import { resolveSubnetParams } from './resolveSubnetParams.js';
import type { Address, SubnetParamsInput } from './resolveSubnetParams.js';
import { readSubnetParams } from './readSubnetParams.js';
import { waitForReceipt } from './waitForReceipt.js';

/** The reward token's settings. */
export type TokenSettings = {
  /** @default 'Tessera' */
  name?: string | undefined;
  /** @default 'TSR' */
  symbol?: string | undefined;
  /** Receives the genesis allocation. @default the deployer */
  genesisHolder?: string | undefined;
  /** Tokens minted once at deployment so the first validators and delegators can stake. @default 1 000 000 tokens */
  genesisSupply?: bigint | undefined;
};

/** Parameters of {@link deploySubnet}. */
export type DeploySubnetParameters = {
  /** Pays for and sends the three deployments; must be connected to a provider. */
  signer: Signer;
  /** Subnet parameters; the owner defaults to the deployer, the rest to {@link defaultSubnetParams}. */
  params?: Partial<SubnetParamsInput> | undefined;
  token?: TokenSettings | undefined;
  /** Confirmations to wait for on each deployment. @default 1 */
  confirmations?: number | undefined;
  /**
   * keccak256 of the run config's canonical JSON (core's `hashRunConfig`, printed by
   * `tessera init`), recorded as the Subnet's `runConfigHash`. @default none (zero on chain)
   */
  runConfigHash?: Hash | undefined;
  /**
   * The run config itself, written into the deployment so roles can name the fields theirs
   * differs in; its hash must be `runConfigHash` (roles check). @default none
   */
  runConfig?: Readonly<Record<string, unknown>> | undefined;
};

const ZERO_HASH = `0x${'0'.repeat(64)}` as Hash;

/**
 * Deploys a subnet: the SubnetSettlement library, the reward token (whose minter is the
 * Subnet's precomputed address) and the Subnet linked to the library, in three transactions
 * with consecutive nonces.
 *
 * The Subnet's constructor checks that the token's minter is itself, so a nonce taken by
 * another transaction in between makes the deployment fail loudly instead of producing a
 * token nobody can mint.
 *
 * @returns The deployment: addresses, block, chain id and the parameters as the chain holds them.
 * @throws InvalidSubnetParamsError before any transaction when the parameters (or the run
 *   config hash) are invalid, or a run config is given without its hash.
 * @throws DeployError when a deployment fails.
 * @example
 * const deployment = await deploySubnet({ signer: wallet, params: { blocksPerWindow: 10 } });
 * await writeDeployment({ path: 'deployment.json', deployment });
 */
export async function deploySubnet(parameters: DeploySubnetParameters): Promise<Deployment> {
  const { signer } = parameters;
  const provider = signer.provider;
  if (!provider)
    throw new DeployError('The signer has no provider.', { hint: 'Connect it: wallet.connect(provider).' });
  const deployer = getAddress(await signer.getAddress()) as Address;
  const params = resolveSubnetParams({ owner: deployer, ...parameters.params } as SubnetParamsInput);
  const runConfigHash = parameters.runConfigHash ?? ZERO_HASH;
  if (
    !/^0x[0-9a-fA-F]{64}$/.test(runConfigHash) ||
    (parameters.runConfig !== undefined && runConfigHash === ZERO_HASH)
  ) {
    throw new InvalidSubnetParamsError('The run config hash is invalid.', {
      details: `runConfigHash: ${String(parameters.runConfigHash)}`,
      hint: 'Pass the 32-byte hash `tessera init` prints for the run config (0x + 64 hex digits).',
    });
  }
  const tokenInfo = {
    name: parameters.token?.name ?? 'Tessera',
    symbol: parameters.token?.symbol ?? 'TSR',
    genesisHolder: getAddress(parameters.token?.genesisHolder ?? deployer) as Address,
    genesisSupply: parameters.token?.genesisSupply ?? 1_000_000n * 10n ** 18n,
  };
  const confirmations = parameters.confirmations ?? 1;
  const { chainId } = await provider.getNetwork();
  const nonce = await provider.getTransactionCount(deployer, 'pending');
  const expected = {
    settlementLibrary: getCreateAddress({ from: deployer, nonce }) as Address,
    token: getCreateAddress({ from: deployer, nonce: nonce + 1 }) as Address,
    subnet: getCreateAddress({ from: deployer, nonce: nonce + 2 }) as Address,
  };

  const deploy = async (name: string, factory: ContractFactory, args: unknown[], at: number) => {
    try {
      const contract = await factory.deploy(...args, { nonce: at });
      const tx = contract.deploymentTransaction() as ContractTransactionResponse;
      const receipt = await waitForReceipt({ provider, hash: tx.hash, confirmations });
      if (receipt.status !== 1 || !receipt.contractAddress) throw new Error('no contract created');
      return {
        address: getAddress(receipt.contractAddress) as Address,
        hash: tx.hash as Hash,
        block: receipt.blockNumber,
      };
    } catch (cause) {
      throw new DeployError(`Deploying ${name} failed.`, {
        cause,
        details: cause instanceof Error ? cause.message : String(cause),
        hint: 'Check the deployer has funds and that no other transaction from it is in flight.',
      });
    }
  };

  const library = await deploy(
    'SubnetSettlement',
    new ContractFactory(settlementAbi, settlementBytecode, signer),
    [],
    nonce,
  );
  const token = await deploy(
    'TesseraToken',
    new ContractFactory(tokenAbi, tokenBytecode, signer),
    [tokenInfo.name, tokenInfo.symbol, expected.subnet, tokenInfo.genesisHolder, tokenInfo.genesisSupply],
    nonce + 1,
  );
  const linked = linkBytecode({
    bytecode: subnetBytecode,
    linkReferences,
    libraries: { 'SubnetSettlement.sol:SubnetSettlement': library.address },
  });
  const subnet = await deploy(
    'Subnet',
    new ContractFactory(subnetAbi, linked, signer),
    [token.address, params, runConfigHash],
    nonce + 2,
  );
  if (
    library.address !== expected.settlementLibrary ||
    token.address !== expected.token ||
    subnet.address !== expected.subnet
  ) {
    throw new DeployError('Contracts landed at unexpected addresses.', {
      details: JSON.stringify({
        expected,
        got: { settlementLibrary: library.address, token: token.address, subnet: subnet.address },
      }),
    });
  }

  const subnetContract = connectSubnet({ address: subnet.address, runner: signer });
  const recorded = (await subnetContract.runConfigHash()) as Hash;
  return {
    version: 1,
    chainId: Number(chainId),
    subnet: subnet.address,
    token: token.address,
    settlementLibrary: library.address,
    deployer,
    deployBlock: subnet.block,
    params: await readSubnetParams({ subnet: subnetContract }),
    tokenInfo,
    transactions: { settlementLibrary: library.hash, token: token.hash, subnet: subnet.hash },
    ...(recorded === ZERO_HASH ? {} : { runConfigHash: recorded.toLowerCase() as Hash }),
    ...(parameters.runConfig === undefined ? {} : { runConfig: parameters.runConfig }),
  };
}
