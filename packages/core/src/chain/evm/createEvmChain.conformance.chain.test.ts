import { connectToken, deploySubnet } from '@tessera/contracts';
import { JsonRpcProvider, Wallet, id, parseEther } from 'ethers';
import { startAnvil } from '@tessera/devtools';
import { describeSubnetChain } from '../../_test/describeSubnetChain.js';
import { createEvmChain } from './createEvmChain.js';
import type { EvmChain } from './types.js';

/** anvil's first dev account: deploys the subnet and holds the genesis tokens. */
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const TOKEN = 10n ** 18n;

describeSubnetChain({
  name: 'EVM backend on anvil',
  create: async () => {
    const anvil = await startAnvil();
    const provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    const deployer = new Wallet(DEPLOYER_KEY, provider);
    const stake = 100n * TOKEN;
    const deployment = await deploySubnet({
      signer: deployer,
      params: {
        blocksPerWindow: 10,
        windowsPerEpoch: 2,
        deadlineGraceBlocks: 2,
        weightsRateLimit: 1,
        stakeLockBlocks: 0,
        minValidatorStake: stake,
        maxUriLength: 64,
      },
    });
    const token = connectToken({ address: deployment.token, runner: deployer });
    const chains: EvmChain[] = [];
    for (const name of ['validator-0', 'validator-1', 'miner-0', 'miner-1', 'outsider']) {
      const key = id(`tessera-conformance-${name}`);
      await anvil.rpc('anvil_setBalance', [new Wallet(key).address, `0x${parseEther('100').toString(16)}`]);
      chains.push(
        await createEvmChain({
          rpcUrl: anvil.rpcUrl,
          deployment,
          privateKey: key,
          pollMs: 10,
          retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
          txTimeoutMs: 10_000,
        }),
      );
    }
    const [v0, v1, m0, m1, outsider] = chains as [EvmChain, EvmChain, EvmChain, EvmChain, EvmChain];
    for (const validator of [v0, v1]) await (await token.transfer(validator.address, stake * 2n)).wait();
    return {
      validators: [v0, v1],
      miners: [m0, m1],
      outsider,
      stake,
      reach: async (block) => {
        const next = (await provider.getBlockNumber()) + 1;
        if (block > next) await anvil.mine(block - next);
      },
      close: async () => {
        await Promise.all(chains.map((chain) => chain.disconnect()));
        provider.destroy();
        await anvil.stop();
      },
    };
  },
});
