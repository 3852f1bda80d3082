import type { ChainUnit, Logger, Metagraph, Metrics, SubnetChain } from '@tessera/core';
import { createVerdictsReader } from '../reader/createVerdictsReader.js';
import type { VerdictsReader } from '../reader/createVerdictsReader.js';
import type { ApiServer } from './apiApp.js';
import { registerChainRoutes } from './registerChainRoutes.js';
import { apiServerOf, apiServerOptions, setupApiApp } from './setupApiApp.js';
import type { ApiRateLimit } from './setupApiApp.js';

/** Parameters of {@link createChainApiServer}. */
export type CreateChainApiServerParameters = {
  /** The chain the answers are read from; read-only use, no key needed. */
  chain: SubnetChain;
  /** The unit of its amounts (`chainUnits.subtensor`). */
  unit: ChainUnit;
  /** The Bittensor subnet id, shown by /v1/subnet. */
  netuid?: number | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** @default a new `tessera_api` registry */
  metrics?: Metrics | undefined;
  /** @default { max: 600, timeWindowMs: 60000 } */
  rateLimit?: ApiRateLimit | undefined;
  /** @default '*' */
  corsOrigin?: string | readonly string[] | undefined;
  /** @default false */
  trustProxy?: boolean | undefined;
  /** How long one metagraph read is reused, in milliseconds. @default 2000 */
  metagraphCacheMs?: number | undefined;
  /** Reads the verdicts files beside the lead aggregates. @default `createVerdictsReader()` */
  verdicts?: VerdictsReader | undefined;
};

/**
 * The REST API for a chain without Tessera's event index (a Bittensor subnet): /v1/health,
 * /v1/subnet, /v1/neurons, /v1/neurons/:uid, /v1/windows/:window (the lead aggregate's
 * published verdicts) and /v1/accounts/:address/rewards, answered from chain storage through
 * `chain` (metagraph: stake, incentive, dividends, emission of the last tempo) and the
 * verdicts files beside the aggregates, with the same error catalogue, rate limiting, CORS,
 * caching headers, OpenAPI document and /metrics as the EVM API. Routes that need the index
 * (epochs, the window list, receipts) and the dashboard are not served; they answer
 * ROUTE_NOT_FOUND saying so.
 *
 * @returns The server, ready but not listening.
 * @example
 * const api = await createChainApiServer({ chain, unit: chainUnits.subtensor, netuid: 2 });
 * const response = await api.app.inject({ url: '/v1/neurons' });
 */
export async function createChainApiServer(parameters: CreateChainApiServerParameters): Promise<ApiServer> {
  const { chain } = parameters;
  const options = apiServerOptions(parameters);
  const { logger } = options;
  const cacheMs = parameters.metagraphCacheMs ?? 2000;
  let cached: { at: number; value: Promise<Metagraph> } | undefined;
  const metagraph = () => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const value = chain.metagraph();
      cached = { at: Date.now(), value };
      value.catch(() => {
        if (cached?.value === value) cached = undefined;
      });
    }
    return cached.value;
  };

  const app = await setupApiApp({
    ...options,
    description: `Read-only JSON API over a Tessera subnet on ${chain.kind}, read from chain storage: the subnet's clock and totals, its neurons (stake, incentive, dividends, emission per tempo, recent verdicts), each window's published verdicts and an account's rewards. Errors share one shape and a stable \`code\`; see docs/api.md.`,
    tags: [
      { name: 'rewards', description: "An account's stake and emission." },
      { name: 'subnet', description: 'Clock, unit and totals.' },
      { name: 'neurons', description: 'Miners and validators.' },
      {
        name: 'windows',
        description: "A window's verdicts, as its lead aggregate's validator published them.",
      },
      { name: 'service', description: 'Health of the API and its chain.' },
    ],
    notFoundNote: `On ${chain.kind} the API serves /v1/health, /v1/subnet, /v1/neurons, /v1/neurons/{uid}, /v1/windows/{window} (verdicts only) and /v1/accounts/{address}/rewards; epochs, the window list and receipts need the EVM index.`,
  });
  registerChainRoutes(app, {
    chain,
    unit: parameters.unit,
    netuid: parameters.netuid,
    metagraph,
    verdicts: parameters.verdicts ?? createVerdictsReader(),
  });
  await app.ready();
  return apiServerOf({ app, logger });
}
