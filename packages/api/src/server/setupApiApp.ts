import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createMetrics, silentLogger } from '@tessera/core';
import type { Logger, Metrics } from '@tessera/core';
import Fastify from 'fastify';
import { ApiError } from '../errors/api.js';
import { ApiConfigError } from '../errors/indexer.js';
import type { ApiApp, ApiServer } from './apiApp.js';
import { errorBody, toApiError } from './toApiError.js';

/** Version of the REST API in the OpenAPI document; /v1 routes never break compatibility. */
export const apiVersion = '1.0.0';

/** Requests per client IP and time window, or false for none. */
export type ApiRateLimit = { max: number; timeWindowMs?: number | undefined } | false;

/**
 * The options both API servers share, with their defaults: the logger (a child with
 * `service: api`), a `tessera_api` metrics registry, 600 requests a minute per client IP, and
 * CORS and proxy settings as given.
 *
 * @throws ApiConfigError on a rate limit that is not a whole number ≥ 1.
 * @example
 * const options = apiServerOptions(parameters);
 * const app = await setupApiApp({ ...options, description: '…', tags: [] });
 */
export function apiServerOptions(parameters: {
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  rateLimit?: ApiRateLimit | undefined;
  corsOrigin?: string | readonly string[] | undefined;
  trustProxy?: boolean | undefined;
}): Pick<SetupApiAppParameters, 'logger' | 'metrics' | 'rateLimit' | 'corsOrigin' | 'trustProxy'> {
  const rateLimit = parameters.rateLimit ?? { max: 600, timeWindowMs: 60_000 };
  if (rateLimit !== false && (!Number.isInteger(rateLimit.max) || rateLimit.max < 1)) {
    throw new ApiConfigError('Invalid rate limit.', {
      details: `max: ${rateLimit.max}`,
      hint: 'Use a whole number ≥ 1, or false.',
    });
  }
  return {
    logger: (parameters.logger ?? silentLogger).child({ service: 'api' }),
    metrics: parameters.metrics ?? createMetrics({ prefix: 'tessera_api' }),
    rateLimit,
    corsOrigin: parameters.corsOrigin,
    trustProxy: parameters.trustProxy,
  };
}

/**
 * A ready app as an {@link ApiServer}: `listen` logs the URL and where the docs are.
 *
 * @example
 * await app.ready();
 * return apiServerOf({ app, logger });
 */
export function apiServerOf(parameters: { app: ApiApp; logger: Logger }): ApiServer {
  const { app, logger } = parameters;
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

/** Parameters of {@link setupApiApp}. */
export type SetupApiAppParameters = {
  logger: Logger;
  /** Registry served at /metrics; request counts and latencies are added to it. */
  metrics: Metrics;
  /** Requests per client IP and time window, or false for none. */
  rateLimit: ApiRateLimit;
  /** Origins allowed by CORS: '*' for any, or a list. @default '*' */
  corsOrigin?: string | readonly string[] | undefined;
  /** Take the client IP from X-Forwarded-For. @default false */
  trustProxy?: boolean | undefined;
  /** The OpenAPI document's description. */
  description: string;
  /** The OpenAPI tags the routes use. */
  tags: readonly { name: string; description: string }[];
  /** Appended to ROUTE_NOT_FOUND messages: which routes this server has. */
  notFoundNote?: string | undefined;
};

/**
 * What every Tessera API server shares, before its routes: fastify with the TypeBox provider,
 * the one error handler mapping everything to the error catalogue, request ids, Cache-Control
 * and ETag from each route's `cacheSeconds`, request metrics, CORS for GET, rate limiting per
 * client IP, the OpenAPI document (/docs, /v1/openapi.json), /metrics and /favicon.ico.
 *
 * @returns The app; register routes on it, then `await app.ready()`.
 * @example
 * const app = await setupApiApp({ logger, metrics, rateLimit: false, description: '…', tags: [] });
 * registerRoutes(app, context);
 */
export async function setupApiApp(parameters: SetupApiAppParameters): Promise<ApiApp> {
  const { logger, metrics } = parameters;
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
      message: `No route ${request.method} ${request.url.split('?')[0]}.${parameters.notFoundNote === undefined ? '' : ` ${parameters.notFoundNote}`}`,
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
  const limits = parameters.rateLimit;
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
      info: { title: 'Tessera API', version: apiVersion, description: parameters.description },
      tags: [...parameters.tags],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });

  app.get('/v1/openapi.json', { schema: { hide: true }, config: { cacheSeconds: 60 } }, async () =>
    app.swagger(),
  );

  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) => {
    reply.header('cache-control', 'no-store').type(metrics.contentType);
    return metrics.render();
  });

  // Browsers ask for it on their own; the page has no icon.
  app.get(
    '/favicon.ico',
    { schema: { hide: true }, config: { cacheSeconds: 86_400 } },
    async (_request, reply) => reply.code(204).send(),
  );

  return app;
}
