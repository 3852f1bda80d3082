import type { Deployment } from '@tessera/contracts';
import type { Logger, Metrics } from '@tessera/core';
import type { Redis } from 'ioredis';
import { renderDashboard } from '../dashboard/renderDashboard.js';
import { ApiError } from '../errors/api.js';
import type { IndexerStatus } from '../indexer/createIndexer.js';
import { createIndexReader } from '../reader/createIndexReader.js';
import { createVerdictsReader } from '../reader/createVerdictsReader.js';
import type { VerdictsReader } from '../reader/createVerdictsReader.js';
import type { ApiChainReads, ApiServer, RouteContext } from './apiApp.js';
import { registerRoutes } from './routes.js';
import { apiServerOf, apiServerOptions, setupApiApp } from './setupApiApp.js';
import type { ApiRateLimit } from './setupApiApp.js';

export { apiVersion } from './setupApiApp.js';

/** Parameters of {@link createApiServer}. */
export type CreateApiServerParameters = {
  /** Redis holding the index the indexer writes. Commands should fail fast when Redis is down (see startApi). */
  redis: Redis;
  /** The subnet: address, token and hyperparameters. */
  deployment: Deployment;
  /** Chain head reads; without them the API takes the indexed block as the head. */
  chain?: ApiChainReads | undefined;
  /** Status of an indexer running in this process, for /v1/health. */
  indexer?: { status(): IndexerStatus } | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** Registry served at /metrics; request counts and latencies are added to it. @default a new `tessera_api` registry */
  metrics?: Metrics | undefined;
  /** Requests per client IP and time window, or false for none. @default { max: 600, timeWindowMs: 60000 } */
  rateLimit?: ApiRateLimit | undefined;
  /** Origins allowed by CORS: '*' for any, or a list. @default '*' */
  corsOrigin?: string | readonly string[] | undefined;
  /** Take the client IP from X-Forwarded-For (behind a reverse proxy). @default false */
  trustProxy?: boolean | undefined;
  /** How long a chain head read is reused, in milliseconds. @default 1000 */
  headCacheMs?: number | undefined;
  /**
   * Reads the verdicts files beside the validators' aggregates.
   * @default `createVerdictsReader()`: http(s) only, private and loopback addresses refused
   */
  verdicts?: VerdictsReader | undefined;
};

export type { ApiServer } from './apiApp.js';

/**
 * Creates the read-only REST API over a subnet's index: /v1 JSON routes with TypeBox schemas
 * (the schema is the type, validates every parameter and serializes every answer), one error
 * handler mapping everything to the error catalogue, an OpenAPI document at /docs/json with
 * its page at /docs, rate limiting per client IP, CORS for GET, Cache-Control and ETag
 * headers, Prometheus metrics at /metrics, and the dashboard at /.
 *
 * @returns The server, ready but not listening.
 * @throws ApiConfigError on invalid parameters.
 * @example
 * const api = await createApiServer({ redis, deployment, chain: { blockNumber: () => provider.getBlockNumber() } });
 * const response = await api.app.inject({ url: `/v1/accounts/${address}/rewards` });
 * const url = await api.listen({ host: '127.0.0.1', port: 8080 });
 */
export async function createApiServer(parameters: CreateApiServerParameters): Promise<ApiServer> {
  const { redis, deployment, chain } = parameters;
  const options = apiServerOptions(parameters);
  const { logger } = options;
  const headCacheMs = parameters.headCacheMs ?? 1000;

  const reader = createIndexReader({ redis, deployment });
  let head: { at: number; value: Promise<number> } | undefined;
  const context: RouteContext = {
    reader,
    deployment,
    indexerStatus: parameters.indexer ? () => parameters.indexer!.status() : undefined,
    verdicts: parameters.verdicts ?? createVerdictsReader(),
    async headBlock() {
      if (!chain) return { block: null, chain: 'not configured' };
      if (!head || Date.now() - head.at > headCacheMs) head = { at: Date.now(), value: chain.blockNumber() };
      try {
        return { block: await head.value, chain: 'ok' };
      } catch (error) {
        head = undefined;
        logger.warn('chain head read failed', { error });
        return { block: null, chain: 'unreachable' };
      }
    },
    async requireIndex() {
      const cursor = await reader.cursor();
      if (!cursor) {
        throw new ApiError('INDEX_NOT_READY', {
          message: 'Nothing is indexed yet: the indexer has not committed its first block range.',
        });
      }
      return cursor.block;
    },
  };

  const app = await setupApiApp({
    ...options,
    description:
      "Read-only JSON API over a Tessera subnet's contract events: neurons, windows, epochs and every account's rewards, with per-epoch receipts. Errors share one shape and a stable `code`; see docs/api.md.",
    tags: [
      { name: 'rewards', description: "An account's claimable, earned and claimed rewards, and receipts." },
      { name: 'subnet', description: 'Hyperparameters, clock and totals.' },
      { name: 'neurons', description: 'Miners and validators.' },
      { name: 'epochs', description: 'Settlements and their payouts.' },
      { name: 'windows', description: 'Commitments, aggregates and held-out loss.' },
      { name: 'service', description: 'Health of the API and its index.' },
    ],
  });

  registerRoutes(app, context);

  const dashboard = renderDashboard();
  app.get('/', { schema: { hide: true }, config: { cacheSeconds: 60 } }, async (_request, reply) => {
    reply.header('content-security-policy', dashboard.contentSecurityPolicy).type('text/html; charset=utf-8');
    return dashboard.html;
  });

  await app.ready();
  return apiServerOf({ app, logger });
}
