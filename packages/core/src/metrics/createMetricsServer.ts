import { createServer } from 'node:http';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { MetricsError } from '../errors/metrics.js';
import type { Metrics } from './createMetrics.js';

/** Parameters of {@link createMetricsServer}. */
export type CreateMetricsServerParameters = {
  metrics: Metrics;
  /** Interface to listen on; keep metrics off public interfaces unless a scraper needs them. @default '127.0.0.1' */
  host?: string | undefined;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** @default '/metrics' */
  path?: string | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
};

/** A running metrics endpoint; see {@link createMetricsServer}. */
export type MetricsServer = {
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
};

/**
 * Serves `metrics` for Prometheus to scrape: `GET <path>` answers the text format,
 * `GET /health` answers `ok`, anything else 404 (or 405 for other methods).
 *
 * @example
 * const server = await createMetricsServer({ metrics, port: 9464 });
 * shutdown.add(() => server.close());
 */
export async function createMetricsServer(parameters: CreateMetricsServerParameters): Promise<MetricsServer> {
  const { metrics } = parameters;
  const host = parameters.host ?? '127.0.0.1';
  const port = parameters.port ?? 0;
  const path = parameters.path ?? '/metrics';
  const logger = parameters.logger ?? silentLogger;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MetricsError('Invalid metrics port.', { details: String(port) });
  if (!path.startsWith('/') || path === '/health')
    throw new MetricsError('Invalid metrics path.', { details: path });

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/health') {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok\n');
      return;
    }
    if (url.pathname !== path) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    metrics.render().then(
      (text) =>
        response
          .writeHead(200, { 'content-type': metrics.contentType })
          .end(request.method === 'HEAD' ? undefined : text),
      (error: unknown) => {
        logger.warn('metrics render failed', { error });
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics unavailable\n');
      },
    );
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}${path}`;
  logger.info('metrics listening', { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
