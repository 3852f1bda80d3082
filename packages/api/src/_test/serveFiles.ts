import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server answering GETs from a table of paths; see {@link serveFiles}. */
export type ServedFiles = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Serves `bytes` at `path` from now on (404 once removed with `undefined`). */
  set(path: string, bytes: Uint8Array | undefined): void;
  /** Requests for `path` so far. */
  requests(path: string): number;
  /** Holds each answer this many milliseconds (0 by default). */
  delayMs: number;
  close(): Promise<void>;
};

/**
 * Starts a real HTTP server on a free loopback port serving files from memory, counting the
 * requests for each path, so tests read verdicts files the way the API does in production.
 *
 * @example
 * const files = await serveFiles();
 * files.set('/models/w3.verdicts.json', bytes);
 * // …
 * await files.close();
 */
export async function serveFiles(): Promise<ServedFiles> {
  const files = new Map<string, Uint8Array>();
  const counts = new Map<string, number>();
  const served: ServedFiles = {
    url: '',
    set(path, bytes) {
      if (bytes === undefined) files.delete(path);
      else files.set(path, bytes);
    },
    requests: (path) => counts.get(path) ?? 0,
    delayMs: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    setTimeout(() => {
      const bytes = files.get(path);
      if (bytes === undefined) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length });
      response.end(bytes);
    }, served.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  served.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return served;
}
