import Fastify from 'fastify';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { NonRetryableStorageError, isStorageError } from '../errors/storage.js';
import { assertReadLimits } from './assertReadLimits.js';
import { assertCommittedUri, assertUriBase } from './assertCommittedUri.js';
import { assertStoreKey } from './assertStoreKey.js';
import type { UpdateStore } from './types.js';

/** Parameters of {@link createUpdateServer}. */
export type CreateUpdateServerParameters = {
  /** Where the updates are; usually a {@link createFileStore}. */
  store: UpdateStore;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string | undefined;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /**
   * Base URL other machines reach this server at, e.g. `http://203.0.113.5:8080`; the URIs
   * the returned store hands out start with it. Required when `host` is a wildcard address.
   * @default the address listened on
   */
  publicUrl?: string | undefined;
  /** Largest update served, in bytes; larger objects answer 500. */
  maxBytes: number;
  /** Time limit for reading one update from `store`, in milliseconds. @default 10000 */
  readTimeoutMs?: number | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
};

/** A running update server; see {@link createUpdateServer}. */
export type UpdateServer = {
  /** Where it listens, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Base of the URIs it hands out. */
  readonly publicUrl: string;
  /**
   * The miner's store: `put` writes to the backing store and returns
   * `${publicUrl}/updates/${key}`, the URI to commit on chain.
   */
  readonly store: UpdateStore;
  /** Stops listening; in-flight downloads finish first. */
  close(): Promise<void>;
};

/**
 * Starts the HTTP server a miner runs to serve its own updates to validators.
 *
 * Routes: `GET /updates/<key>` (and `HEAD`) answer the bytes as `application/octet-stream`;
 * `GET /health` answers `{ "status": "ok" }`. It only serves: the miner writes through the
 * returned `store`, never over HTTP. Keys are checked with {@link assertStoreKey}.
 *
 * @example
 * const server = await createUpdateServer({ store: createFileStore({ root }), port: 8080, publicUrl, maxBytes: 64 << 20 });
 * const { uri } = await server.store.put({ key: 'w000042/uid-7.tsu', bytes }); // commit uri on chain
 * await server.close();
 */
export async function createUpdateServer(parameters: CreateUpdateServerParameters): Promise<UpdateServer> {
  const { store, maxBytes } = parameters;
  const host = parameters.host ?? '127.0.0.1';
  const port = parameters.port ?? 0;
  const readTimeoutMs = parameters.readTimeoutMs ?? 10_000;
  const logger = parameters.logger ?? silentLogger;
  assertReadLimits({ maxBytes, timeoutMs: readTimeoutMs });
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new NonRetryableStorageError('invalid-parameter', 'port must be an integer from 0 to 65535.', {
      details: `got ${port}`,
    });
  }
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  if (wildcard && parameters.publicUrl === undefined) {
    throw new NonRetryableStorageError(
      'invalid-parameter',
      'An update server on all interfaces needs a publicUrl.',
      {
        details: `host ${JSON.stringify(host)}`,
        hint: 'Pass the URL validators reach this machine at, e.g. http://203.0.113.5:8080.',
      },
    );
  }

  const app = Fastify({
    logger: false,
    routerOptions: { maxParamLength: 1024 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  app.get('/health', async () => ({ status: 'ok' }));

  app.get<{ Params: { '*': string } }>('/updates/*', async (request, reply) => {
    const key = request.params['*'];
    try {
      assertStoreKey({ key });
      const bytes = await store.get({ uri: store.uriOf({ key }), maxBytes, timeoutMs: readTimeoutMs });
      logger.debug('update served', { key, bytes: bytes.byteLength, remote: request.ip });
      return reply
        .header('content-type', 'application/octet-stream')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      const reason = isStorageError(error) ? error.reason : 'internal';
      const status =
        reason === 'not-found'
          ? 404
          : reason === 'bad-key'
            ? 400
            : isStorageError(error) && error.retryable
              ? 503
              : 500;
      if (status >= 500) logger.warn('update not served', { key, reason, error });
      return reply
        .code(status)
        .send({ error: reason, message: isStorageError(error) ? error.shortMessage : 'Internal error.' });
    }
  });

  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  const publicUrl = normalizePublicUrl(parameters.publicUrl ?? url);
  const prefix = `${publicUrl}/updates/`;
  try {
    assertUriBase({ base: prefix, store: 'http', what: 'public URL' });
  } catch (error) {
    await app.close();
    throw error;
  }
  logger.info('update server listening', { url, publicUrl });

  const uriOf = ({ key }: { key: string }) => {
    assertStoreKey({ key });
    return assertCommittedUri({ uri: `${prefix}${key}`, store: 'http' });
  };

  return {
    url,
    publicUrl,
    store: {
      kind: 'http',
      uriOf,
      async put(put) {
        const uri = uriOf({ key: put.key });
        await store.put(put);
        return { uri };
      },
      get(read) {
        if (typeof read.uri !== 'string' || !read.uri.startsWith(prefix)) {
          return Promise.reject(
            new NonRetryableStorageError('bad-uri', 'Not a URI of this update server.', {
              target: String(read.uri),
              details: `expected a URI under ${prefix}`,
            }),
          );
        }
        const key = read.uri.slice(prefix.length);
        try {
          assertStoreKey({ key });
        } catch (error) {
          return Promise.reject(error);
        }
        return store.get({ ...read, uri: store.uriOf({ key }) });
      },
      has: (query) => store.has(query),
      delete: (query) => store.delete(query),
    },
    async close() {
      await app.close();
    },
  };
}

function normalizePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new NonRetryableStorageError('invalid-parameter', 'publicUrl does not parse.', {
      details: value,
      cause,
    });
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new NonRetryableStorageError('invalid-parameter', 'publicUrl must be a plain http(s) URL.', {
      details: value,
    });
  }
  return url.href.replace(/\/+$/, '');
}
