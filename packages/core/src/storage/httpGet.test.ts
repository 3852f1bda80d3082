import { rejectionOf } from '../_test/rejectionOf.js';
import { startTestHttpServer } from '../_test/startTestHttpServer.js';
import type { TestHttpServer } from '../_test/startTestHttpServer.js';
import { NonRetryableStorageError, RetryableStorageError } from '../errors/storage.js';
import { httpGet } from './httpGet.js';
import { isPrivateAddress } from './openHttpRequest.js';
import { freePort } from '@tessera/devtools';

const payload = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 255);

describe('httpGet', () => {
  let server: TestHttpServer;
  /** Resolves when the client hangs up on the endless route. */
  let endlessClosed: Promise<void> = Promise.resolve();
  const stalled = new Set<() => void>();

  beforeAll(async () => {
    server = await startTestHttpServer((request, response) => {
      const path = request.url ?? '';
      if (path === '/update') {
        response.writeHead(200, {
          'content-length': payload.length,
          'content-type': 'application/octet-stream',
        });
        response.end(payload);
      } else if (path === '/chunked') {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.write(payload.subarray(0, 2000));
        response.end(payload.subarray(2000));
      } else if (path === '/endless') {
        // Chunked, never ends: only a streaming cap stops the client.
        response.writeHead(200);
        endlessClosed = new Promise((resolve) => response.once('close', resolve));
        const chunk = new Uint8Array(16 * 1024);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      } else if (path === '/declared-huge') {
        response.writeHead(200, { 'content-length': 10 * 1024 * 1024 });
        response.write(new Uint8Array(100));
      } else if (path === '/stall') {
        stalled.add(() => response.destroy());
      } else if (path === '/stall-body') {
        response.writeHead(200, { 'content-length': 1000 });
        response.write(new Uint8Array(10));
        stalled.add(() => response.destroy());
      } else if (path === '/cut') {
        response.writeHead(200, { 'content-length': 1000 });
        response.write(new Uint8Array(10), () => response.destroy());
      } else if (
        path === '/status/404' ||
        path === '/status/500' ||
        path === '/status/403' ||
        path === '/status/429'
      ) {
        response.writeHead(Number(path.slice(8))).end('no');
      } else if (path === '/redirect/same') {
        response.writeHead(302, { location: '/update' }).end();
      } else if (path === '/redirect/loop') {
        response.writeHead(307, { location: '/redirect/loop' }).end();
      } else if (path === '/redirect/other-host') {
        response.writeHead(301, { location: `http://localhost:${server.port}/update` }).end();
      } else if (path === '/redirect/no-location') {
        response.writeHead(302).end();
      } else {
        response.writeHead(404).end();
      }
    });
  });
  afterAll(async () => {
    for (const release of stalled) release();
    await server.close();
  });

  const get = (path: string, extra: Partial<Parameters<typeof httpGet>[0]> = {}) =>
    httpGet({ uri: `${server.url}${path}`, maxBytes: 1 << 20, timeoutMs: 5000, ...extra });

  it('downloads a body with a Content-Length', async () => {
    expect(await get('/update')).toEqual(payload);
  });

  it('downloads a chunked body', async () => {
    expect(await get('/chunked')).toEqual(payload);
  });

  it('accepts a body exactly at the cap and refuses one byte less', async () => {
    expect((await get('/update', { maxBytes: payload.length })).length).toBe(payload.length);
    expect(await rejectionOf(get('/update', { maxBytes: payload.length - 1 }))).toMatchObject({
      reason: 'too-large',
    });
    expect(await rejectionOf(get('/chunked', { maxBytes: payload.length - 1 }))).toMatchObject({
      reason: 'too-large',
    });
  });

  it('refuses a declared Content-Length over the cap before reading the body', async () => {
    const error = await rejectionOf(get('/declared-huge', { maxBytes: 1000 }));
    expect(error).toBeInstanceOf(NonRetryableStorageError);
    expect(error).toMatchObject({ reason: 'too-large', details: expect.stringContaining('Content-Length') });
  });

  it('stops an endless chunked body as soon as it passes the cap', async () => {
    const error = await rejectionOf(get('/endless', { maxBytes: 64 * 1024, timeoutMs: 30_000 }));
    expect(error).toMatchObject({ reason: 'too-large', details: expect.stringContaining('65536') });
    await endlessClosed; // the client hung up rather than draining the stream
  });

  it('times out on a server that never answers, and on one that stalls mid-body', async () => {
    for (const path of ['/stall', '/stall-body']) {
      const error = await rejectionOf(get(path, { timeoutMs: 200 }));
      expect(error).toBeInstanceOf(RetryableStorageError);
      expect(error).toMatchObject({ reason: 'timeout' });
    }
  });

  it('reports a body cut short as a retryable connection error', async () => {
    const error = await rejectionOf(get('/cut'));
    expect(error).toBeInstanceOf(RetryableStorageError);
    expect(error).toMatchObject({ reason: 'connection' });
  });

  it('maps statuses to reasons', async () => {
    expect(await rejectionOf(get('/status/404'))).toMatchObject({ reason: 'not-found', retryable: false });
    expect(await rejectionOf(get('/status/403'))).toMatchObject({ reason: 'rejected', retryable: false });
    expect(await rejectionOf(get('/status/500'))).toMatchObject({ reason: 'server-error', retryable: true });
    expect(await rejectionOf(get('/status/429'))).toMatchObject({ reason: 'server-error', retryable: true });
  });

  it('reports a refused connection as retryable', async () => {
    const port = await freePort();
    const error = await rejectionOf(
      httpGet({ uri: `http://127.0.0.1:${port}/x`, maxBytes: 10, timeoutMs: 5000 }),
    );
    expect(error).toMatchObject({ reason: 'connection', retryable: true, details: 'ECONNREFUSED' });
  });

  it('follows a redirect on the same host, and no other', async () => {
    expect(await get('/redirect/same')).toEqual(payload);
    expect(await rejectionOf(get('/redirect/same', { maxRedirects: 0 }))).toMatchObject({
      reason: 'redirect',
    });
    expect(await rejectionOf(get('/redirect/loop'))).toMatchObject({
      reason: 'redirect',
      details: 'more than 3',
    });
    expect(await rejectionOf(get('/redirect/other-host'))).toMatchObject({ reason: 'redirect' });
    expect(await rejectionOf(get('/redirect/no-location'))).toMatchObject({ reason: 'bad-response' });
  });

  it('rejects bad URIs without any request', async () => {
    const read = { maxBytes: 10, timeoutMs: 1000 };
    for (const uri of [
      'not a uri',
      'ftp://host/x',
      'http://user:pass@127.0.0.1/x',
      `http://h/${'x'.repeat(5000)}`,
    ]) {
      expect(await rejectionOf(httpGet({ uri, ...read }))).toMatchObject({ reason: 'bad-uri' });
    }
  });

  it('blocks private addresses when asked, by literal and by name', async () => {
    expect(await rejectionOf(get('/update', { blockPrivateAddresses: true }))).toMatchObject({
      reason: 'blocked-address',
    });
    const byName = httpGet({
      uri: `http://localhost:${server.port}/update`,
      maxBytes: 1 << 20,
      timeoutMs: 5000,
      blockPrivateAddresses: true,
    });
    expect(await rejectionOf(byName)).toMatchObject({ reason: 'blocked-address' });
  });

  it('stops when the caller aborts, with a retryable error', async () => {
    const controller = new AbortController();
    const pending = get('/stall', { signal: controller.signal, timeoutMs: 30_000 });
    setTimeout(() => controller.abort(), 20);
    expect(await rejectionOf(pending)).toMatchObject({ reason: 'aborted', retryable: true });
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2606:4700:4700::1111', false],
    ['not-an-ip', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
