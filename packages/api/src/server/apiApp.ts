import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deployment } from '@tessera/contracts';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { IndexReader } from '../reader/createIndexReader.js';
import type { IndexerStatus } from '../indexer/createIndexer.js';
import type { VerdictsReader } from '../reader/createVerdictsReader.js';

/** The fastify instance the API builds, typed by its TypeBox schemas. */
export type ApiApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The chain reads the API makes besides the index: only the head block. */
export type ApiChainReads = {
  /** The chain's latest block number. */
  blockNumber(): Promise<number>;
};

/** What the routes share. */
export type RouteContext = {
  reader: IndexReader;
  deployment: Deployment;
  /** The chain head (cached briefly), or null when the chain is not configured or cannot be read. */
  headBlock(): Promise<{ block: number | null; chain: 'ok' | 'unreachable' | 'not configured' }>;
  /** Throws INDEX_NOT_READY until the indexer's first commit. */
  requireIndex(): Promise<number>;
  indexerStatus: (() => IndexerStatus) | undefined;
  /** Reads the verdicts files validators publish beside their aggregates. */
  verdicts: VerdictsReader;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Seconds clients and proxies may cache a 200 answer; 0 sends `no-store`. */
    cacheSeconds?: number;
  }
}

/** The API server; made by `createApiServer` or `createChainApiServer`. */
export type ApiServer = {
  /** The fastify instance, ready: use `app.inject()` in tests. */
  app: ApiApp;
  /** Listens on `host:port` (port 0 picks a free one) and returns the base URL. */
  listen(parameters: { host: string; port: number }): Promise<string>;
  close(): Promise<void>;
};
