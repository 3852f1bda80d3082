import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet, parseUnits } from 'ethers';
import { connectToken, deploySubnet, waitForReceipt, writeDeployment } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import { createEvmChain, hashRunConfig } from '@tessera/core';
import type { EvmChain, Hyperparameters, Logger } from '@tessera/core';
import { devAccountKeys } from './devAccounts.js';
import { startAnvil, startRedisServer } from '@tessera/devtools';
import type { Anvil, RedisServer } from '@tessera/devtools';

/** Parameters of {@link setupDevnetChain}. */
export type SetupDevnetChainParameters = {
  hyperparameters: Hyperparameters;
  validators: number;
  /** Stake of each validator in tokens, by index; missing ones stake 1000. @default all 1000 */
  validatorStakes?: readonly number[] | undefined;
  miners: number;
  /** Seconds between anvil blocks. */
  blockTime: number;
  /** Folder for deployment.json, run.json and every role's state. */
  stateDir: string;
  logger: Logger;
  /**
   * Deploy to this node instead of starting one (it must hold `devnetAccountCount` dev
   * accounts); it is not stopped with the devnet. @default a new anvil on loopback
   */
  anvil?: Anvil | undefined;
  /** Use this Redis instead of starting one; not stopped with the devnet. @default a new redis-server on loopback */
  redis?: RedisServer | undefined;
};

/** Dev accounts a devnet of `validators` and `miners` uses: the deployer's, then one per neuron. */
export function devnetAccountCount(parameters: { validators: number; miners: number }): number {
  return 1 + parameters.validators + parameters.miners;
}

/** A running local chain with a deployed, populated subnet. */
export type DevnetChain = {
  anvil: Anvil;
  redis: RedisServer;
  deployment: Deployment;
  deploymentPath: string;
  runPath: string;
  /** One signing chain client per validator, in uid order of registration. */
  validators: { key: `0x${string}`; chain: EvmChain; uid: number }[];
  miners: { key: `0x${string}`; chain: EvmChain; uid: number }[];
  stop(): Promise<void>;
};

/**
 * Starts anvil and redis-server on free loopback ports, deploys the contracts with the
 * run's timing and its run config's hash, funds and registers the validators (1000-token stakes from the genesis
 * allocation) and the miners (registration burn from their dev ether), and writes
 * `deployment.json` and `run.json` into `stateDir`.
 *
 * @example
 * const devnet = await setupDevnetChain({ hyperparameters, validators: 1, miners: 3, blockTime: 1, stateDir, logger });
 */
export async function setupDevnetChain(parameters: SetupDevnetChainParameters): Promise<DevnetChain> {
  const { hyperparameters: hp, logger } = parameters;
  const keys = devAccountKeys({ count: devnetAccountCount(parameters) });
  const anvil =
    parameters.anvil ?? (await startAnvil({ blockTime: parameters.blockTime, accounts: keys.length }));
  const cleanups: (() => Promise<unknown>)[] = parameters.anvil ? [] : [() => anvil.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const redis = parameters.redis ?? (await startRedisServer());
    if (!parameters.redis) cleanups.push(() => redis.stop());
    logger.info('devnet services up', { rpc: anvil.rpcUrl, redis: redis.url });

    const provider = new JsonRpcProvider(anvil.rpcUrl, undefined, { cacheTimeout: -1, staticNetwork: true });
    cleanups.push(async () => provider.destroy());
    const deployer = new Wallet(keys[0]!, provider);
    // Window 0 starts once every neuron can be registered (about one block per transaction).
    const start = (await provider.getBlockNumber()) + 8 + 3 * parameters.validators + parameters.miners;
    const deployment = await deploySubnet({
      signer: deployer,
      params: {
        startBlock: start,
        blocksPerWindow: hp.blocksPerWindow,
        windowsPerEpoch: hp.windowsPerEpoch,
        deadlineGraceBlocks: hp.deadlineGraceBlocks,
        weightsRateLimit: 1,
        immunityPeriod: 10_000,
        stakeLockBlocks: 10,
      },
      // The subnet records the run config's hash, so a role started with another run.json is refused.
      runConfigHash: hashRunConfig({ hyperparameters: hp }),
      runConfig: hp,
    });
    await mkdir(parameters.stateDir, { recursive: true });
    const deploymentPath = join(parameters.stateDir, 'deployment.json');
    const runPath = join(parameters.stateDir, 'run.json');
    await writeDeployment({ path: deploymentPath, deployment });
    await writeFile(runPath, `${JSON.stringify(hp, null, 2)}\n`);
    logger.info('subnet deployed', { subnet: deployment.subnet, token: deployment.token, startBlock: start });

    const token = connectToken({ address: deployment.token, runner: deployer });
    const validators: DevnetChain['validators'] = [];
    for (const [index, key] of keys.slice(1, 1 + parameters.validators).entries()) {
      const stake = parseUnits(String(parameters.validatorStakes?.[index] ?? 1000), 18);
      const chain = await createEvmChain({
        rpcUrl: anvil.rpcUrl,
        deployment,
        privateKey: key,
        logger: logger.child({ role: 'validator' }),
      });
      cleanups.push(() => chain.disconnect());
      // ethers' tx.wait() can miss a block anvil mines right after the send; poll the receipt.
      const transfer = await token.transfer(chain.address, stake);
      await waitForReceipt({ provider, hash: transfer.hash });
      const { uid } = await chain.registerValidator({ stake });
      validators.push({ key, chain, uid });
    }
    const miners: DevnetChain['miners'] = [];
    for (const key of keys.slice(1 + parameters.validators)) {
      const chain = await createEvmChain({
        rpcUrl: anvil.rpcUrl,
        deployment,
        privateKey: key,
        logger: logger.child({ role: 'miner' }),
      });
      cleanups.push(() => chain.disconnect());
      const { uid } = await chain.registerMiner();
      miners.push({ key, chain, uid });
    }
    logger.info('neurons registered', {
      validators: validators.map((v) => v.uid).join(','),
      miners: miners.map((m) => m.uid).join(','),
    });
    return { anvil, redis, deployment, deploymentPath, runPath, validators, miners, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
