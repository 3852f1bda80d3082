import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { BaseError } from '@tessera/errors';

/** Parameters of {@link startTcpProxy}. */
export type StartTcpProxyParameters = {
  /** Where connections are forwarded. */
  target: { host: string; port: number };
  /** Loopback interface to listen on. @default '127.0.0.1' */
  host?: string | undefined;
  /** @default a free port */
  port?: number | undefined;
  /**
   * Forward the target's replies `bytes` at a time, one piece every `everyMs` milliseconds
   * (what the client sends goes through at once), as a store that trickles its answers does.
   * @default undefined (replies go through at once)
   */
  trickle?: { bytes: number; everyMs: number } | undefined;
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
 * const slow = await startTcpProxy({ target, trickle: { bytes: 1, everyMs: 20 } }); // 50 bytes/s
 */
export async function startTcpProxy(parameters: StartTcpProxyParameters): Promise<TcpProxy> {
  const { target, trickle } = parameters;
  if (
    trickle !== undefined &&
    !(Number.isSafeInteger(trickle.bytes) && trickle.bytes > 0 && trickle.everyMs > 0)
  ) {
    throw new BaseError('trickle needs a positive whole number of bytes and a positive interval.', {
      details: JSON.stringify(trickle),
    });
  }
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
        let stopTrickle: (() => void) | undefined;
        // An error on one side resets the other, so a client sees a dead target as a reset
        // connection rather than a clean end of stream.
        const drop = (failed: boolean) => () => {
          stopTrickle?.();
          open.delete(client);
          open.delete(upstream);
          for (const socket of [client, upstream]) {
            if (failed) reset(socket);
            else socket.destroy();
          }
        };
        client.on('error', drop(true)).on('close', drop(false));
        upstream.on('error', drop(true));
        client.pipe(upstream);
        if (trickle === undefined) {
          upstream.on('close', drop(false));
          upstream.pipe(client);
        } else {
          // The target may close long before its reply has trickled out: the client's own
          // close ends the connection then.
          stopTrickle = trickleInto({ from: upstream, to: client, ...trickle });
        }
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

/**
 * Writes what `from` sends to `to`, `bytes` at a time every `everyMs` ms, pausing `from`
 * while a backlog is waiting, and ends `to` once `from` has ended and everything is out.
 * Returns what stops the timer.
 */
function trickleInto(parameters: { from: Socket; to: Socket; bytes: number; everyMs: number }): () => void {
  const { from, to, bytes, everyMs } = parameters;
  let backlog = Buffer.alloc(0);
  let ended = false;
  const timer = setInterval(() => {
    if (backlog.length > 0 && to.writable) {
      to.write(backlog.subarray(0, bytes));
      backlog = backlog.subarray(bytes);
    }
    if (backlog.length > 0) return;
    if (ended) {
      clearInterval(timer);
      to.end();
    } else from.resume();
  }, everyMs);
  from.on('data', (chunk: Buffer) => {
    backlog = backlog.length === 0 ? chunk : Buffer.concat([backlog, chunk]);
    from.pause();
  });
  from.once('end', () => {
    ended = true;
  });
  return () => clearInterval(timer);
}
