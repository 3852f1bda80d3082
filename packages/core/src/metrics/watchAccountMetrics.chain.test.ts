import { connectToken, deploySubnet } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import { JsonRpcProvider, Wallet, id, parseEther } from 'ethers';
import { createEvmChain } from '../chain/evm/createEvmChain.js';
import type { EvmChain } from '../chain/evm/types.js';
import { silentLogger } from '../common/logger.js';
import { sleep } from '../common/shutdown.js';
import { MetricsError } from '../errors/metrics.js';
import { createMetrics } from './createMetrics.js';
import type { Metrics } from './createMetrics.js';
import { watchAccountMetrics } from './watchAccountMetrics.js';
import { startAnvil, startTcpProxy } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';

/** anvil's first dev account: deploys the subnet and holds the genesis tokens. */
const DEPLOYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const TOKEN = 10n ** 18n;
const fast = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };

let anvil: Anvil;
let provider: JsonRpcProvider;
let deployment: Deployment;
const chains: EvmChain[] = [];

async function chainFor(name: string, rpcUrl = anvil.rpcUrl): Promise<EvmChain> {
  const key = id(`tessera-account-metrics-test-${name}`);
  await anvil.rpc('anvil_setBalance', [new Wallet(key).address, `0x${parseEther('100').toString(16)}`]);
  const chain = await createEvmChain({ rpcUrl, deployment, privateKey: key, pollMs: 10, retry: fast });
  chains.push(chain);
  return chain;
}

/** The value of one series of a gauge or counter in the registry, undefined when it has none. */
async function valueOf(metrics: Metrics, name: string, labels: Record<string, string> = {}) {
  const metric = metrics.registry.getSingleMetric(`${metrics.prefix}_${name}`);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

/** Watches until `done` holds, then stops the watch and waits for it to end. */
async function watchUntil(
  parameters: { chain: EvmChain; metrics: Metrics },
  done: () => Promise<boolean>,
): Promise<void> {
  const stop = new AbortController();
  const watching = watchAccountMetrics({ ...parameters, logger: silentLogger, signal: stop.signal });
  while (!(await done())) await sleep(20);
  stop.abort();
  await expect(watching).resolves.toBeUndefined();
}

beforeAll(async () => {
  anvil = await startAnvil();
  provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true, cacheTimeout: -1 });
  deployment = await deploySubnet({
    signer: new Wallet(DEPLOYER_KEY, provider),
    params: { blocksPerWindow: 10, windowsPerEpoch: 2, stakeLockBlocks: 0, minValidatorStake: 100n * TOKEN },
  });
});

afterAll(async () => {
  await Promise.all(chains.map((chain) => chain.disconnect()));
  provider?.destroy();
  await anvil?.stop();
});

describe('watchAccountMetrics', () => {
  it('reports a validator’s tokens, ether and stake as the node has them', async () => {
    const chain = await chainFor('validator');
    const token = connectToken({ address: deployment.token, runner: new Wallet(DEPLOYER_KEY, provider) });
    await (await token.transfer(chain.address, 1_500n * TOKEN)).wait();
    await chain.registerValidator({ stake: 1_000n * TOKEN });

    const metrics = createMetrics({ prefix: 'tessera_validator', defaultMetrics: false });
    await watchUntil({ chain, metrics }, async () => (await valueOf(metrics, 'account_reads_total')) === 1);

    expect(await valueOf(metrics, 'account_balance', { coin: 'token' })).toBe(500);
    // The ether left after registration's gas, as the node reports it.
    const ether = Number(await provider.getBalance(chain.address)) / 1e18;
    expect(ether).toBeLessThan(100);
    expect(await valueOf(metrics, 'account_balance', { coin: 'fees' })).toBeCloseTo(ether, 12);
    expect(await valueOf(metrics, 'account_stake')).toBe(1000);
    expect(await valueOf(metrics, 'account_registered')).toBe(1);
    expect(await valueOf(metrics, 'account_read_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('reports an account without a uid as unregistered with no stake', async () => {
    const chain = await chainFor('stranger');
    const metrics = createMetrics({ prefix: 'tessera_miner', defaultMetrics: false });
    await watchUntil({ chain, metrics }, async () => (await valueOf(metrics, 'account_reads_total')) === 1);
    expect(await valueOf(metrics, 'account_registered')).toBe(0);
    expect(await valueOf(metrics, 'account_stake')).toBe(0);
    expect(await valueOf(metrics, 'account_balance', { coin: 'fees' })).toBe(100);
    expect(await valueOf(metrics, 'account_balance', { coin: 'token' })).toBe(0);
  });

  it('counts a read the node cannot answer, keeps the last values and goes on', async () => {
    const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: anvil.port } });
    try {
      const chain = await chainFor('cut-off', `http://127.0.0.1:${proxy.port}`);
      const metrics = createMetrics({ prefix: 'tessera_miner', defaultMetrics: false });
      const stop = new AbortController();
      const watching = watchAccountMetrics({
        chain,
        metrics,
        logger: silentLogger,
        signal: stop.signal,
        intervalSeconds: 5,
      });
      while ((await valueOf(metrics, 'account_reads_total', { result: 'ok' })) !== 1) await sleep(20);
      await proxy.cut();
      while ((await valueOf(metrics, 'account_reads_total', { result: 'failed' })) !== 1) await sleep(50);
      expect(await valueOf(metrics, 'account_balance', { coin: 'fees' })).toBe(100);
      await proxy.restore();
      while ((await valueOf(metrics, 'account_reads_total', { result: 'ok' })) !== 2) await sleep(50);
      stop.abort();
      await expect(watching).resolves.toBeUndefined();
    } finally {
      await proxy.close();
    }
  });

  it('refuses an interval that would read the chain more often than every 5 seconds', async () => {
    const chain = await chainFor('eager');
    const metrics = createMetrics({ prefix: 'tessera_miner', defaultMetrics: false });
    expect(() =>
      watchAccountMetrics({
        chain,
        metrics,
        logger: silentLogger,
        signal: AbortSignal.abort(),
        intervalSeconds: 1,
      }),
    ).toThrow(MetricsError);
  });
});
