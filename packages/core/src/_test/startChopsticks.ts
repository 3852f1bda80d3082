import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** A Substrate chain running in this process from a genesis chain spec, served over WebSocket. */
export type LocalSubstrateChain = {
  /** `ws://127.0.0.1:<port>` */
  wsUrl: string;
  port: number;
  /** Calls one of the dev RPC methods (`dev_setStorage`, `dev_newBlock`) directly. */
  dev(method: string, params: unknown[]): Promise<unknown>;
  /** Drops every open WebSocket connection (the server keeps listening). */
  dropConnections(): void;
  /** Closes the server and every connection. */
  stop(): Promise<void>;
};

/** Parameters of {@link startChopsticks}. */
export type StartChopsticksParameters = {
  /** The raw chain spec (JSON text) whose genesis holds the runtime code. @default Rococo Asset Hub */
  chainSpec?: string | undefined;
  /** `Instant` builds a block per transaction; `Manual` only on `dev_newBlock`. @default 'Instant' */
  buildBlockMode?: 'Instant' | 'Batch' | 'Manual' | undefined;
};

type JsonRpcRequest = { id?: number | string; method?: string; params?: unknown[] };
type Handler = (
  context: { chain: unknown },
  params: unknown[],
  subscriptions: SubscriptionManager,
) => Promise<unknown>;
type SubscriptionManager = {
  subscribe: (method: string, subid: string, onCancel?: () => void) => (data: unknown) => void;
  unsubscribe: (subid: string) => void;
};

/**
 * Runs a real Substrate runtime offline with Chopsticks' block builder and wasm executor,
 * starting from the genesis state of a raw chain spec (no endpoint, no network), and serves
 * the standard JSON-RPC over WebSocket on a free loopback port.
 *
 * The default chain spec is Rococo Asset Hub's, shipped inside `@substrate/connect-known-chains`.
 *
 * @example
 * const chain = await startChopsticks();
 * const api = await ApiPromise.create({ provider: new WsProvider(chain.wsUrl) });
 * await chain.stop();
 */
export async function startChopsticks(
  parameters: StartChopsticksParameters = {},
): Promise<LocalSubstrateChain> {
  // Chopsticks reads its log level when its module loads: keep it quiet before importing it.
  process.env['LOG_LEVEL'] ??= 'error';
  const core = await import('@acala-network/chopsticks-core');
  const chainSpec =
    parameters.chainSpec ?? (await import('@substrate/connect-known-chains/rococo_v2_2_asset_hub')).chainSpec;
  const chain = await core.setup({
    genesis: new core.GenesisProvider(
      JSON.parse(chainSpec) as ConstructorParameters<typeof core.GenesisProvider>[0],
    ),
    buildBlockMode: (parameters.buildBlockMode ?? 'Instant') as never,
    runtimeLogLevel: 0,
  });
  const handlers = core.allHandlers as unknown as Record<string, Handler>;

  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const sockets = new Set<WebSocket>();

  server.on('connection', (socket) => {
    sockets.add(socket);
    const cancels = new Map<string, () => void>();
    const subscriptions: SubscriptionManager = {
      subscribe: (method, subid, onCancel = () => {}) => {
        cancels.set(subid, onCancel);
        return (data) => {
          if (socket.readyState !== socket.OPEN) return;
          socket.send(
            JSON.stringify({ jsonrpc: '2.0', method, params: { subscription: subid, result: data } }),
          );
        };
      },
      unsubscribe: (subid) => {
        cancels.get(subid)?.();
        cancels.delete(subid);
      },
    };
    socket.on('message', (raw: Buffer) => {
      void (async () => {
        let request: JsonRpcRequest;
        try {
          request = JSON.parse(raw.toString()) as JsonRpcRequest;
        } catch {
          return;
        }
        const reply = (body: object) => {
          if (socket.readyState === socket.OPEN)
            socket.send(JSON.stringify({ jsonrpc: '2.0', id: request.id, ...body }));
        };
        const handler = request.method === undefined ? undefined : handlers[request.method];
        if (!handler)
          return reply({ error: { code: -32601, message: `Method not found: ${request.method}` } });
        try {
          const result = await handler({ chain }, request.params ?? [], subscriptions);
          reply({ result: result ?? null });
        } catch (error) {
          const code =
            typeof (error as { code?: unknown }).code === 'number'
              ? (error as { code: number }).code
              : -32603;
          reply({ error: { code, message: error instanceof Error ? error.message : String(error) } });
        }
      })();
    });
    socket.on('close', () => {
      sockets.delete(socket);
      for (const subid of [...cancels.keys()]) subscriptions.unsubscribe(subid);
    });
  });

  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    dev: (method, params) => {
      const handler = handlers[method];
      if (!handler) throw new Error(`no dev method ${method}`);
      return handler({ chain }, params, { subscribe: () => () => {}, unsubscribe: () => {} });
    },
    dropConnections: () => {
      for (const socket of sockets) socket.terminate();
    },
    stop: async () => {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chain.close();
      // The wasm executor runs in a worker thread shared by the module; end it so the process can exit.
      await core.destroyWorker();
    },
  };
}
