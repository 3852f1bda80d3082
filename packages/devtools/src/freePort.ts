import { createServer } from 'node:net';

/**
 * Asks the kernel for a free TCP port on loopback.
 *
 * @returns A port number that was free a moment ago.
 * @example
 * const port = await freePort();
 */
export function freePort(parameters: { host?: string } = {}): Promise<number> {
  const host = parameters.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}
