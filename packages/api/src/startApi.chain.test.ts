import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDeployment } from '@tessera/contracts';
import { buildOptions, createMetrics, createShutdown, silentLogger, sleep } from '@tessera/core';
import type { Common } from '@tessera/core';
import { TOKEN, mined, setupSubnetChain } from './_test/setupSubnetChain.js';
import type { SubnetChain } from './_test/setupSubnetChain.js';
import { startTestRedis } from './_test/startTestRedis.js';
import type { TestRedis } from './_test/startTestRedis.js';
import { apiOptionsSchema } from './options/apiOptionsSchema.js';
import type { ApiOptions } from './options/apiOptionsSchema.js';
import { startApi } from './startApi.js';
import type { RunningApi } from './startApi.js';

// `tessera api` as the CLI runs it: options from flags through buildOptions, the deployment
// file, an RPC endpoint and Redis; then the chain moves and the API follows on a real port.

let chain: SubnetChain;
let redis: TestRedis;
let folder: string;
let api: RunningApi | undefined;

beforeAll(async () => {
  chain = await setupSubnetChain({ params: { minValidatorStake: 100n * TOKEN } });
  redis = await startTestRedis();
  folder = mkdtempSync(join(tmpdir(), 'tessera-api-'));
  await writeDeployment({ path: join(folder, 'deployment.json'), deployment: chain.deployment });
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
  await chain?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const options = () =>
  buildOptions({
    schema: apiOptionsSchema,
    argv: [
      '--rpc-url',
      chain.anvil.rpcUrl,
      '--deployment',
      join(folder, 'deployment.json'),
      '--redis-url',
      redis.url,
      '--port',
      '0',
      '--confirmations',
      '1',
      '--poll-interval-ms',
      '20',
      '--log-level',
      'silent',
    ],
    env: {},
  });

const commonOf = (options: ApiOptions): Common<ApiOptions> => ({
  options,
  logger: silentLogger,
  metrics: createMetrics({ prefix: 'tessera_api', defaultMetrics: false }),
  shutdown: createShutdown(),
});

it('indexes the chain as it moves and serves it on a port', async () => {
  api = await startApi({ common: commonOf(options()) });
  expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const miner = await chain.account('start-api-miner');
  await mined(chain.subnet.connect(miner).registerMiner({ value: chain.deployment.params.registrationBurn }));
  await chain.anvil.mine(1);

  let neurons: { address: string }[] = [];
  for (let i = 0; i < 250 && neurons.length === 0; i++) {
    const response = await fetch(`${api.url}/v1/neurons`);
    if (response.status === 200)
      neurons = ((await response.json()) as { neurons: { address: string }[] }).neurons;
    else await sleep(20);
  }
  expect(neurons.map((n) => n.address)).toEqual([miner.address]);
  const health = (await (await fetch(`${api.url}/v1/health`)).json()) as Record<string, unknown>;
  expect(health).toMatchObject({ status: 'ok', chain: 'ok', indexer: { state: 'running', lastError: null } });
  const page = await fetch(`${api.url}/`);
  expect(page.headers.get('content-type')).toContain('text/html');
  await api.close();
  api = undefined;
});

it('refuses an RPC endpoint of another chain', async () => {
  const other = await setupSubnetChain({});
  try {
    await other.anvil.rpc('anvil_setChainId', [999]);
    await expect(
      startApi({ common: commonOf({ ...options(), rpcUrl: other.anvil.rpcUrl }) }),
    ).rejects.toThrow('The RPC endpoint serves another chain than the deployment.');
  } finally {
    await other.stop();
  }
});
