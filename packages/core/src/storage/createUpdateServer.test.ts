import { request } from 'node:http';
import { join } from 'node:path';
import { rejectionOf } from '../_test/rejectionOf.js';
import { tempDir } from '../_test/tempDir.js';
import { createFileStore } from './createFileStore.js';
import { createUpdateServer } from './createUpdateServer.js';
import type { UpdateServer } from './createUpdateServer.js';
import { getUpdateBytes } from './getUpdateBytes.js';
import { httpGet } from './httpGet.js';

/** One raw request, so tests see statuses and headers exactly as sent. */
function raw(
  url: string,
  method = 'GET',
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createUpdateServer', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: UpdateServer;
  const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 13) & 255);

  beforeAll(async () => {
    dir = await tempDir();
    server = await createUpdateServer({
      store: createFileStore({ root: join(dir.path, 'u') }),
      maxBytes: 4096,
    });
  });
  afterAll(async () => {
    await server.close();
    await dir.cleanup();
  });

  it('serves what the miner put, at the URI put returned', async () => {
    const { uri } = await server.store.put({ key: 'w000005/uid-2.tsu', bytes });
    expect(uri).toBe(`${server.url}/updates/w000005/uid-2.tsu`);
    expect(await httpGet({ uri, maxBytes: 1 << 20, timeoutMs: 5000 })).toEqual(bytes);
    expect(await getUpdateBytes({ uri, maxBytes: 1 << 20, timeoutMs: 5000 })).toEqual(bytes);
    expect(await server.store.get({ uri, maxBytes: 1 << 20, timeoutMs: 5000 })).toEqual(bytes);
    expect(await server.store.has({ key: 'w000005/uid-2.tsu' })).toBe(true);
  });

  it('answers HEAD with the length and no body', async () => {
    await server.store.put({ key: 'head', bytes });
    const response = await raw(`${server.url}/updates/head`, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe(String(bytes.length));
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.body).toBe('');
  });

  it('answers 404 for a missing key and 400 for a bad one', async () => {
    expect((await raw(`${server.url}/updates/missing`)).status).toBe(404);
    expect(
      await rejectionOf(httpGet({ uri: `${server.url}/updates/missing`, maxBytes: 10, timeoutMs: 5000 })),
    ).toMatchObject({
      reason: 'not-found',
    });
    for (const key of ['.hidden', '..%2F..%2Fetc%2Fpasswd', 'a//b', '%2e%2e/x']) {
      const response = await raw(`${server.url}/updates/${key}`);
      expect([400, 404]).toContain(response.status);
      expect(response.body).not.toContain('root:');
    }
    expect((await raw(`${server.url}/updates/.hidden`)).status).toBe(400);
  });

  it('refuses to serve an object over its own cap', async () => {
    await server.store.put({ key: 'huge', bytes: new Uint8Array(5000) });
    const response = await raw(`${server.url}/updates/huge`);
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ error: 'too-large' });
  });

  it('answers health, and only serves (no uploads)', async () => {
    expect(JSON.parse((await raw(`${server.url}/health`)).body)).toEqual({ status: 'ok' });
    expect((await raw(`${server.url}/updates/x`, 'PUT')).status).toBe(404);
    expect((await raw(`${server.url}/updates/x`, 'DELETE')).status).toBe(404);
  });

  it('hands out URIs under publicUrl, and reads back only those', async () => {
    const other = await createUpdateServer({
      store: createFileStore({ root: join(dir.path, 'p') }),
      maxBytes: 10,
      publicUrl: 'https://miner.example:8443/',
    });
    try {
      const { uri } = await other.store.put({ key: 'k', bytes: new Uint8Array([1, 2]) });
      expect(uri).toBe('https://miner.example:8443/updates/k');
      expect(await other.store.get({ uri, maxBytes: 10, timeoutMs: 1000 })).toEqual(new Uint8Array([1, 2]));
      expect(
        await rejectionOf(
          other.store.get({ uri: 'https://elsewhere/updates/k', maxBytes: 10, timeoutMs: 1000 }),
        ),
      ).toMatchObject({
        reason: 'bad-uri',
      });
    } finally {
      await other.close();
    }
  });

  it('needs a publicUrl when listening on every interface', async () => {
    const store = createFileStore({ root: dir.path });
    expect(await rejectionOf(createUpdateServer({ store, host: '0.0.0.0', maxBytes: 10 }))).toMatchObject({
      reason: 'invalid-parameter',
    });
  });
});
