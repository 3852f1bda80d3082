import { connectSubnet, connectToken, deploySubnet } from '@tessera/contracts';
import type { Deployment, SubnetContract, SubnetParamsInput, TokenContract } from '@tessera/contracts';
import { JsonRpcProvider, JsonRpcSigner, dataSlice, getAddress, id, parseEther } from 'ethers';
import type { ContractTransactionResponse, TransactionReceipt } from 'ethers';
import { startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';

/** One token, 10^18 units. */
export const TOKEN = 10n ** 18n;

/** A private anvil with a deployed subnet, and helpers to act on it. */
export type SubnetChain = {
  anvil: Anvil;
  provider: JsonRpcProvider;
  deployer: JsonRpcSigner;
  deployment: Deployment;
  /** Read-only; `subnet.connect(signer)` to send. */
  subnet: SubnetContract;
  token: TokenContract;
  /** A fresh account with 1000 ether, sending through anvil's impersonation. */
  account(label: string): Promise<JsonRpcSigner>;
  /** Gives `signer` genesis tokens and lets the Subnet spend them. */
  fundTokens(signer: JsonRpcSigner, amount: bigint): Promise<void>;
  /** Mines until the next block to be mined is `block` (nothing when already there). */
  mineUntil(block: number): Promise<void>;
  stop(): Promise<void>;
};

/** Waits for a sent transaction and returns its receipt. */
export async function mined(pending: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await pending).wait();
  if (!receipt) throw new Error('no receipt');
  return receipt;
}

/**
 * Starts anvil (one block per transaction, impersonation on) and deploys a subnet whose
 * window 0 starts `startIn` blocks from now, so setup transactions land before it.
 */
export async function setupSubnetChain(parameters: {
  params?: Partial<SubnetParamsInput>;
  startIn?: number;
}): Promise<SubnetChain> {
  const anvil = await startAnvil({ autoImpersonate: true });
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
    batchMaxCount: 1,
    pollingInterval: 20,
  });
  const [first] = (await provider.send('eth_accounts', [])) as string[];
  const deployer = new JsonRpcSigner(provider, getAddress(first!));
  const startBlock = (await provider.getBlockNumber()) + (parameters.startIn ?? 0);
  let deployment: Deployment;
  try {
    deployment = await deploySubnet({
      signer: deployer,
      params: { ...(parameters.startIn === undefined ? {} : { startBlock }), ...parameters.params },
    });
  } catch (error) {
    provider.destroy();
    await anvil.stop();
    throw error;
  }
  const subnet = connectSubnet({ address: deployment.subnet, runner: provider });
  const token = connectToken({ address: deployment.token, runner: provider });
  return {
    anvil,
    provider,
    deployer,
    deployment,
    subnet,
    token,
    async account(label) {
      const address = getAddress(dataSlice(id(`tessera-api-test-${process.pid}-${label}`), 12));
      await provider.send('anvil_setBalance', [address, `0x${parseEther('1000').toString(16)}`]);
      return new JsonRpcSigner(provider, address);
    },
    async fundTokens(signer, amount) {
      await mined(token.connect(deployer).transfer(signer.address, amount));
      await mined(token.connect(signer).approve(deployment.subnet, 2n ** 255n));
    },
    async mineUntil(block) {
      const next = (await provider.getBlockNumber()) + 1;
      if (block > next) await anvil.mine(block - next);
    },
    async stop() {
      provider.destroy();
      await anvil.stop();
    },
  };
}
