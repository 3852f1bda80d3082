import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deployment } from '@tessera/contracts';
import { createMetrics, silentLogger } from '@tessera/core';
import type { Logger, Metrics } from '@tessera/core';
import Fastify from 'fastify';
import type { Redis } from 'ioredis';
import { renderDashboard } from '../dashboard/renderDashboard.js';
import { ApiError } from '../errors/api.js';
import { ApiConfigError } from '../errors/indexer.js';
import type { IndexerStatus } from '../indexer/createIndexer.js';
import { createIndexReader } from '../reader/createIndexReader.js';
import type { ApiApp, ApiChainReads, RouteContext } from './apiApp.js';
import { registerRoutes } from './routes.js';
import { errorBody, toApiError } from './toApiError.js';

/** Version of the REST API in the OpenAPI document; /v1 routes never break compatibility. */
export const apiVersion = '1.0.0';

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
  rateLimit?: { max: number; timeWindowMs?: number | undefined } | false | undefined;
  /** Origins allowed by CORS: '*' for any, or a list. @default '*' */
  corsOrigin?: string | readonly string[] | undefined;
  /** Take the client IP from X-Forwarded-For (behind a reverse proxy). @default false */
  trustProxy?: boolean | undefined;
  /** How long a chain head read is reused, in milliseconds. @default 1000 */
  headCacheMs?: number | undefined;
};

/** The API server; see {@link createApiServer}. */
export type ApiServer = {
  /** The fastify instance, ready: use `app.inject()` in tests. */
  app: ApiApp;
  /** Listens on `host:port` (port 0 picks a free one) and returns the base URL. */
  listen(parameters: { host: string; port: number }): Promise<string>;
  close(): Promise<void>;
};

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
  const logger = (parameters.logger ?? silentLogger).child({ service: 'api' });
  const metrics = parameters.metrics ?? createMetrics({ prefix: 'tessera_api' });
  const limits = parameters.rateLimit ?? { max: 600, timeWindowMs: 60_000 };
  const headCacheMs = parameters.headCacheMs ?? 1000;
  if (limits !== false && (!Number.isInteger(limits.max) || limits.max < 1)) {
    throw new ApiConfigError('Invalid rate limit.', {
      details: `max: ${limits.max}`,
      hint: 'Use a whole number ≥ 1, or false.',
    });
  }

  const reader = createIndexReader({ redis, deployment });
  let head: { at: number; value: Promise<number> } | undefined;
  const context: RouteContext = {
    reader,
    deployment,
    indexerStatus: parameters.indexer ? () => parameters.indexer!.status() : undefined,
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

  const app: ApiApp = Fastify({
    logger: false,
    trustProxy: parameters.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  const requests = metrics.counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route, method and status code.',
    labelNames: ['route', 'method', 'status_code'] as const,
  });
  const durations = metrics.histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, in seconds, by route.',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  });

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error, request);
    if (apiError.code === 'INTERNAL_ERROR') logger.error('request failed', { url: request.url, error });
    else if (apiError.code === 'STORE_UNAVAILABLE') logger.warn('redis unavailable', { error });
    return reply.code(apiError.statusCode).header('cache-control', 'no-store').send(errorBody(apiError));
  });
  app.setNotFoundHandler((request, reply) => {
    const apiError = new ApiError('ROUTE_NOT_FOUND', {
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
    });
    return reply.code(404).header('cache-control', 'no-store').send(errorBody(apiError));
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) return payload;
    const seconds = request.routeOptions.config.cacheSeconds;
    if (seconds === undefined) return payload;
    reply.header('cache-control', seconds > 0 ? `public, max-age=${seconds}` : 'no-store');
    if (seconds > 0 && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      const etag = `W/"${createHash('sha1').update(payload).digest('base64url')}"`;
      reply.header('etag', etag);
      const asked = request.headers['if-none-match'];
      if (asked !== undefined && asked.split(',').some((tag) => tag.trim() === etag)) {
        reply.code(304);
        return '';
      }
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status_code: String(reply.statusCode) });
    durations.observe({ route }, reply.elapsedTime / 1000);
    logger.debug('request', {
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      ms: reply.elapsedTime,
    });
  });

  await app.register(cors, {
    origin:
      parameters.corsOrigin === undefined || parameters.corsOrigin === '*' ? '*' : [...parameters.corsOrigin],
    methods: ['GET', 'HEAD', 'OPTIONS'],
    exposedHeaders: [
      'etag',
      'retry-after',
      'x-request-id',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ],
    maxAge: 600,
  });
  if (limits !== false) {
    await app.register(rateLimit, {
      max: limits.max,
      timeWindow: limits.timeWindowMs ?? 60_000,
      errorResponseBuilder: (_request, limit) =>
        new ApiError('RATE_LIMITED', {
          message: `Rate limit reached: ${limit.max} requests per ${limit.after}; retry in ${Math.ceil(limit.ttl / 1000)} s.`,
        }),
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tessera API',
        version: apiVersion,
        description:
          "Read-only JSON API over a Tessera subnet's contract events: neurons, windows, epochs and every account's rewards, with per-epoch receipts. Errors share one shape and a stable `code`; see docs/api.md.",
      },
      tags: [
        { name: 'rewards', description: "An account's claimable, earned and claimed rewards, and receipts." },
        { name: 'subnet', description: 'Hyperparameters, clock and totals.' },
        { name: 'neurons', description: 'Miners and validators.' },
        { name: 'epochs', description: 'Settlements and their payouts.' },
        { name: 'windows', description: 'Commitments, aggregates and held-out loss.' },
        { name: 'service', description: 'Health of the API and its index.' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });

  registerRoutes(app, context);

  app.get('/v1/openapi.json', { schema: { hide: true }, config: { cacheSeconds: 60 } }, async () =>
    app.swagger(),
  );

  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store').type(metrics.contentType);
    return metrics.render();
  });

  const dashboard = renderDashboard();
  app.get('/', { schema: { hide: true }, config: { cacheSeconds: 60 } }, async (_request, reply) => {
    reply.header('content-security-policy', dashboard.contentSecurityPolicy).type('text/html; charset=utf-8');
    return dashboard.html;
  });

  // Browsers ask for it on their own; the page has no icon.
  app.get(
    '/favicon.ico',
    { schema: { hide: true }, config: { cacheSeconds: 86_400 } },
    async (_request, reply) => reply.code(204).send(),
  );

  await app.ready();
  return {
    app,
    async listen({ host, port }) {
      const url = await app.listen({ host, port });
      logger.info('api listening', { url, docs: `${url}/docs` });
      return url;
    },
    close: () => app.close(),
  };
}
