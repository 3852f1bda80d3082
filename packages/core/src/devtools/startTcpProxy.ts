import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { BaseError } from '../errors/base.js';

/** Parameters of {@link startTcpProxy}. */
export type StartTcpProxyParameters = {
  /** Where connections are forwarded. */
  target: { host: string; port: number };
  /** Loopback interface to listen on. @default '127.0.0.1' */
  host?: string | undefined;
  /** @default a free port */
  port?: number | undefined;
};

/** A running TCP proxy; see {@link startTcpProxy}. */
export type TcpProxy = {
  readonly host: string;
  readonly port: number;
  /** Whether connections are being forwarded now. */
  readonly up: boolean;
  /** Connections forwarded so far. */
  readonly accepted: number;
  /**
   * Takes the endpoint away: stops listening, so new connections are refused, and resets
   * every open one, as when a node goes down or a network link drops.
   */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Cuts and forgets the proxy. */
  close(): Promise<void>;
};

/**
 * Starts a TCP proxy in front of a service (an RPC node, a Redis, an HTTP store) that a
 * test can cut off and restore, to see how clients ride out an outage of the real thing.
 *
 * @example
 * const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: anvil.port } });
 * const rpcUrl = `http://127.0.0.1:${proxy.port}`;
 * await proxy.cut(); // ECONNREFUSED from now on
 * await proxy.restore();
 */
export async function startTcpProxy(parameters: StartTcpProxyParameters): Promise<TcpProxy> {
  const { target } = parameters;
  const host = parameters.host ?? '127.0.0.1';
  const open = new Set<Socket>();
  let accepted = 0;
  let server: Server | undefined;
  let port = parameters.port ?? 0;

  // A reset (RST) needs an established connection that is not shutting down: on a socket
  // that is still connecting or half closed, libuv refuses it and the handle stays open for
  // good. Those are closed plainly.
  const reset = (socket: Socket) => {
    if (socket.destroyed) return;
    if (!socket.connecting && socket.readyState === 'open') socket.resetAndDestroy();
    else socket.destroy();
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        accepted++;
        const upstream = createConnection(target);
        open.add(client);
        open.add(upstream);
        // An error on one side resets the other, so a client sees a dead target as a reset
        // connection rather than a clean end of stream.
        const drop = (failed: boolean) => () => {
          open.delete(client);
          open.delete(upstream);
          for (const socket of [client, upstream]) {
            if (failed) reset(socket);
            else socket.destroy();
          }
        };
        client.on('error', drop(true)).on('close', drop(false));
        upstream.on('error', drop(true)).on('close', drop(false));
        client.pipe(upstream);
        upstream.pipe(client);
      });
      next.once('error', (cause) =>
        reject(new BaseError('The TCP proxy could not listen.', { cause, details: `${host}:${port}` })),
      );
      next.listen({ host, port }, () => {
        const address = next.address();
        if (address !== null && typeof address === 'object') port = address.port;
        server = next;
        resolve();
      });
    });

  const cut = async () => {
    const current = server;
    server = undefined;
    for (const socket of open) reset(socket);
    open.clear();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  return {
    host,
    get port() {
      return port;
    },
    get up() {
      return server !== undefined;
    },
    get accepted() {
      return accepted;
    },
    cut,
    async restore() {
      if (server === undefined) await listen();
    },
    close: cut,
  };
}
