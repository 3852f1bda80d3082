import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';

/** A folder served over HTTP on a loopback port, as a dataset mirror is. */
export type DatasetMirrorServer = {
  /** `http://127.0.0.1:<port>`: any path under it names a file by its last segment. */
  url: string;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
};

/**
 * Serves the files of `folder` over HTTP: a request's last path segment names the file, a
 * missing one is a 404. A file named in `tampered` is served with those bytes instead, for
 * tests of a mirror that lies.
 *
 * @example
 * const tampered = new Map<string, Uint8Array>();
 * const server = await serveDatasetMirror({ folder: mirror, tampered });
 * const mirrors = [`${server.url}/data/`];
 * afterAll(() => server.close());
 */
export async function serveDatasetMirror(parameters: {
  folder: string;
  /** Files served with other bytes: name → bytes; read on every request. */
  tampered?: ReadonlyMap<string, Uint8Array> | undefined;
}): Promise<DatasetMirrorServer> {
  const { folder, tampered } = parameters;
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').split('/').pop() ?? '';
    const swapped = tampered?.get(name);
    if (swapped !== undefined) return void response.end(swapped);
    readFile(join(folder, name)).then(
      (bytes) => response.end(bytes),
      () => {
        response.statusCode = 404;
        response.end();
      },
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the mirror server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
