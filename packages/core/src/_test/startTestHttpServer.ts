import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A plain node:http server on a free loopback port, for tests that need real HTTP. */
export type TestHttpServer = {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Closes the server and every open connection, stalled ones included. */
  close(): Promise<void>;
};

/**
 * Starts `handler` on 127.0.0.1, port 0.
 *
 * @example
 * const server = await startTestHttpServer((req, res) => res.end('hi'));
 * afterAll(() => server.close());
 */
export async function startTestHttpServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<TestHttpServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  if (address === null || typeof address !== 'object') throw new Error('test server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
