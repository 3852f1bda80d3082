import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploySubnet, writeDeployment } from '@tessera/contracts';
import type { Deployment, DeploySubnetParameters } from '@tessera/contracts';
import { startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';
import { JsonRpcProvider, Wallet } from 'ethers';
import { devAccountKeys } from '../devnet/devAccounts.js';

/** A subnet deployed on a fresh anvil, its deployment file in a temporary folder. */
export type TestSubnet = {
  anvil: Anvil;
  /** Reads at the head (no cache), on anvil's chain id. */
  provider: JsonRpcProvider;
  /** The temporary folder: the deployment file, and whatever the test writes. */
  dir: string;
  deployment: Deployment;
  deploymentPath: string;
  /** The signer that deployed it (dev account 0): it holds the genesis tokens. */
  deployer: Wallet;
  /** `--chain evm --rpc-url … --deployment …`, the flags every chain command takes here. */
  connection: () => string[];
  /** Stops anvil and removes the folder. */
  stop: () => Promise<void>;
};

/**
 * Starts anvil on a free port and deploys a subnet with dev account 0, for the CLI's chain
 * tests: call it in `beforeAll` and `stop()` in `afterAll`.
 *
 * @example
 * subnet = await startTestSubnet({ name: 'status', params: { blocksPerWindow: 10 } });
 */
export async function startTestSubnet(
  parameters: { name: string } & Partial<Omit<DeploySubnetParameters, 'signer'>>,
): Promise<TestSubnet> {
  const { name, ...deploy } = parameters;
  const anvil = await startAnvil();
  const dir = await mkdtemp(join(tmpdir(), `tessera-${name}-`));
  const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, {
    staticNetwork: true,
    cacheTimeout: -1,
  });
  const stop = async () => {
    provider.destroy();
    await anvil.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deployer = new Wallet(devAccountKeys({ count: 1 })[0]!, provider);
    const deployment = await deploySubnet({ signer: deployer, ...deploy });
    const deploymentPath = join(dir, 'deployment.json');
    await writeDeployment({ path: deploymentPath, deployment });
    return {
      anvil,
      provider,
      dir,
      deployment,
      deploymentPath,
      deployer,
      connection: () => ['--chain', 'evm', '--rpc-url', anvil.rpcUrl, '--deployment', deploymentPath],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
