import { loadDeployment } from '@tessera/contracts';
import { chainUnits, createSubtensorChain } from '@tessera/core';
import type { Common } from '@tessera/core';
import { JsonRpcProvider } from 'ethers';
import { Redis } from 'ioredis';
import { ApiConfigError, IndexerError } from './errors/indexer.js';
import { createIndexer } from './indexer/createIndexer.js';
import { createVerdictsReader, verdictsRouter } from './reader/createVerdictsReader.js';
import type { VerdictsReader } from './reader/createVerdictsReader.js';
import type { Indexer } from './indexer/createIndexer.js';
import type { ApiOptions } from './options/apiOptionsSchema.js';
import { createApiServer } from './server/createApiServer.js';
import { createChainApiServer } from './server/createChainApiServer.js';
import type { ApiServer } from './server/createApiServer.js';

/** Parameters of {@link startApi}. */
export type StartApiParameters = {
  /**
   * The command's options, the process's logger, its registry (`tessera_api`: the HTTP and
   * indexer metrics served at /metrics) and its shutdown, on which startApi registers its close.
   */
  common: Common<StartApiOptions>;
};

/** {@link ApiOptions}, where the chain fields may be left out for the EVM default (as the devnet does). */
export type StartApiOptions = Omit<ApiOptions, 'chain' | 'ws' | 'netuid'> &
  Partial<Pick<ApiOptions, 'chain' | 'ws' | 'netuid'>>;

/** A running `tessera api`. */
export type RunningApi = {
  /** Base URL it listens on, e.g. `http://127.0.0.1:8787`. */
  url: string;
  server: ApiServer;
  /** The indexer, when `index` is on (EVM only). */
  indexer: Indexer | undefined;
  /** Stops the server, the indexer and the connections. */
  close(): Promise<void>;
};

/**
 * Runs `tessera api`: loads the deployment, connects to Redis and the chain (checking the
 * chain id), starts the indexer (unless `index` is off) and serves the API and dashboard.
 * Only the deployment JSON, an RPC endpoint and Redis are needed. The verdicts files beside the
 * aggregates are read over http(s) from public addresses only, unless
 * `verdictsPrivateAddresses` or `verdictsFileUris` allow more. With `--chain subtensor` it
 * connects to `--ws` read-only (no key) and serves subnet, neurons and rewards from chain
 * storage (createChainApiServer); no Redis, no indexer.
 *
 * @returns The running API; close() stops everything.
 * @throws ApiConfigError when the chain's id differs from the deployment's.
 * @throws DeploymentFileError when the deployment file is missing or invalid.
 * @example
 * const options = buildOptions({ schema: apiOptionsSchema, argv });
 * const api = await startApi({ common: { options, logger, metrics: createMetrics({ prefix: 'tessera_api' }), shutdown } });
 * console.log(`dashboard at ${api.url}/`);
 */
export async function startApi(parameters: StartApiParameters): Promise<RunningApi> {
  const { options, logger, metrics, shutdown } = parameters.common;
  if (options.chain === 'subtensor') return startSubtensorApi(parameters);
  const deployment = await loadDeployment({ path: options.deployment });
  const provider = new JsonRpcProvider(options.rpcUrl, deployment.chainId, { staticNetwork: true });
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', (error: Error) => logger.debug('redis connection error', { error }));
  const cleanup = async () => {
    redis.disconnect();
    provider.destroy();
  };

  try {
    await redis.connect();
  } catch (cause) {
    await cleanup();
    throw new IndexerError('Cannot connect to Redis.', {
      cause,
      details: options.redisUrl,
      hint: 'Start redis-server or pass --redis-url.',
    });
  }
  try {
    const chainId = Number(await provider.send('eth_chainId', []));
    if (chainId !== deployment.chainId) {
      await cleanup();
      throw new ApiConfigError('The RPC endpoint serves another chain than the deployment.', {
        details: `chain id ${chainId}, deployment ${deployment.chainId}`,
        hint: 'Pass the --rpc-url of the chain the deployment file describes.',
      });
    }
  } catch (error) {
    if (error instanceof ApiConfigError) throw error;
    logger.warn('chain not reachable yet; serving the index and retrying', { rpcUrl: options.rpcUrl });
  }

  const indexer = options.index
    ? createIndexer({
        provider,
        deployment,
        redis,
        confirmations: options.confirmations,
        batchBlocks: options.batchBlocks,
        pollIntervalMs: options.pollIntervalMs,
        logger,
        metrics,
      })
    : undefined;
  const server = await createApiServer({
    redis,
    deployment,
    chain: { blockNumber: () => provider.getBlockNumber() },
    indexer,
    logger,
    metrics,
    ...httpSettingsOf(options),
    verdicts: verdictsReaderOf(options),
  });
  const url = await listenOrRelease({ server, options, release: cleanup });
  indexer?.start();

  let closing: Promise<void> | undefined;
  const running: RunningApi = {
    url,
    server,
    indexer,
    close() {
      closing ??= (async () => {
        await server.close();
        await indexer?.stop();
        await cleanup();
      })();
      return closing;
    },
  };
  shutdown.add(() => running.close());
  return running;
}

async function startSubtensorApi(parameters: StartApiParameters): Promise<RunningApi> {
  const { options, logger, metrics, shutdown } = parameters.common;
  if (options.netuid === undefined || options.ws === undefined) {
    throw new ApiConfigError('No subnet given.', {
      hint: 'Pass --netuid (TESSERA_NETUID) with --chain subtensor.',
    });
  }
  const chain = await createSubtensorChain({
    wsUrl: options.ws,
    netuid: options.netuid,
    logger,
    signal: shutdown.signal,
  });
  const server = await createChainApiServer({
    chain,
    unit: chainUnits.subtensor,
    netuid: options.netuid,
    logger,
    metrics,
    ...httpSettingsOf(options),
    verdicts: verdictsReaderOf(options),
  });
  const url = await listenOrRelease({ server, options, release: () => chain.disconnect() });
  let closing: Promise<void> | undefined;
  const running: RunningApi = {
    url,
    server,
    indexer: undefined,
    close() {
      closing ??= (async () => {
        await server.close();
        await chain.disconnect();
      })();
      return closing;
    },
  };
  shutdown.add(() => running.close());
  return running;
}

/** The HTTP settings both servers take from the API's options. */
function httpSettingsOf(options: StartApiParameters['common']['options']): {
  rateLimit: false | { max: number; timeWindowMs: number };
  corsOrigin: '*' | readonly string[];
  trustProxy: boolean;
} {
  return {
    rateLimit: options.rateLimit === 0 ? false : { max: options.rateLimit, timeWindowMs: 60_000 },
    corsOrigin: options.corsOrigin.includes('*') ? ('*' as const) : options.corsOrigin,
    trustProxy: options.trustProxy,
  };
}

/** The verdicts reader both servers use, reading only the addresses and schemes the options allow. */
function verdictsReaderOf(options: StartApiParameters['common']['options']): VerdictsReader {
  return createVerdictsReader({
    router: verdictsRouter({
      privateAddresses: options.verdictsPrivateAddresses,
      fileUris: options.verdictsFileUris,
    }),
  });
}

/** Listens on the options' host and port; when it cannot, closes the server and releases what it holds. */
async function listenOrRelease(parameters: {
  server: { listen(at: { host: string; port: number }): Promise<string>; close(): Promise<void> };
  options: StartApiParameters['common']['options'];
  release: () => Promise<unknown>;
}): Promise<string> {
  const { server, options } = parameters;
  try {
    return await server.listen({ host: options.host, port: options.port });
  } catch (error) {
    await server.close();
    await parameters.release();
    throw error;
  }
}
