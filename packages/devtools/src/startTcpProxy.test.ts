import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tcpExchange } from './_test/tcpExchange.js';
import { waitUntil } from './_test/waitUntil.js';
import { startTcpProxy } from './startTcpProxy.js';

let echo: Server;
let echoPort: number;
beforeAll(async () => {
  echo = createServer((socket) =>
    socket.on('error', () => undefined).on('data', (data) => socket.write(`echo ${data.toString()}`)),
  );
  await new Promise<void>((resolve) => echo.listen({ host: '127.0.0.1', port: 0 }, resolve));
  echoPort = (echo.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

describe('startTcpProxy', () => {
  it('forwards, refuses and resets while cut, and forwards again on the same port once restored', async () => {
    const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: echoPort } });
    try {
      expect(await tcpExchange(proxy.port, 'a')).toBe('echo a');

      const held: Socket = createConnection({ host: '127.0.0.1', port: proxy.port });
      await new Promise((resolve) => held.once('connect', resolve));
      const reset = new Promise<string | undefined>((resolve) =>
        held.on('error', (error: NodeJS.ErrnoException) => resolve(error.code)),
      );
      const port = proxy.port;
      await proxy.cut();
      expect(proxy.up).toBe(false);
      expect(await reset).toBe('ECONNRESET');
      await expect(tcpExchange(port, 'b')).rejects.toThrow('ECONNREFUSED');

      await proxy.restore();
      expect(proxy.port).toBe(port);
      expect(await tcpExchange(port, 'c')).toBe('echo c');
      expect(proxy.accepted).toBe(3);
    } finally {
      await proxy.close();
    }
  });

  it('resets the client when the target itself is down', async () => {
    const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: 1 } });
    try {
      await expect(tcpExchange(proxy.port, 'x')).rejects.toThrow('ECONNRESET');
    } finally {
      await proxy.close();
    }
  });

  it('closes every socket of its own on cut and close, whatever state a connection is in', async () => {
    // A connection cut while half closed (its client gone, the reply on its way) once kept
    // two socket handles open for good, and a process holding them never exits.
    const sockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
    const before = sockets();
    for (let round = 0; round < 20; round++) {
      const proxy = await startTcpProxy({ target: { host: '127.0.0.1', port: echoPort } });
      expect(await tcpExchange(proxy.port, 'a')).toBe('echo a');
      const held = createConnection({ host: '127.0.0.1', port: proxy.port });
      const reset = new Promise((resolve) => held.on('error', resolve));
      await new Promise((resolve) => held.once('connect', resolve));
      await proxy.cut();
      await reset;
      await proxy.restore();
      expect(await tcpExchange(proxy.port, 'c')).toBe('echo c');
      await proxy.close();
    }
    await waitUntil(() => sockets() <= before);
    expect(sockets()).toBeLessThanOrEqual(before);
  });
});

describe('startTcpProxy with trickle', () => {
  it('forwards the reply a byte at a time, then ends, leaving no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    // A target that answers and closes at once: the proxy still hands out the whole reply.
    const target = createServer((socket) => socket.on('error', () => undefined).end('0123456789'));
    await new Promise<void>((resolve) => target.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const proxy = await startTcpProxy({
      target: { host: '127.0.0.1', port: (target.address() as { port: number }).port },
      trickle: { bytes: 1, everyMs: 20 },
    });
    try {
      const started = Date.now();
      const pieces = await new Promise<string[]>((resolve, reject) => {
        const received: string[] = [];
        const socket = createConnection({ host: '127.0.0.1', port: proxy.port });
        socket.on('data', (data) => received.push(data.toString()));
        socket.on('error', reject);
        socket.once('end', () => resolve(received));
      });
      expect(pieces.join('')).toBe('0123456789');
      expect(pieces.every((piece) => piece.length === 1)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(9 * 20);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
    await waitUntil(() => timers() <= before);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('stops trickling when the client goes away mid-reply', async () => {
    const target = createServer((socket) => socket.on('error', () => undefined).end('x'.repeat(1000)));
    await new Promise<void>((resolve) => target.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const proxy = await startTcpProxy({
      target: { host: '127.0.0.1', port: (target.address() as { port: number }).port },
      trickle: { bytes: 1, everyMs: 5 },
    });
    const sockets = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPSocketWrap').length;
    const before = sockets();
    try {
      await new Promise<void>((resolve) => {
        const socket = createConnection({ host: '127.0.0.1', port: proxy.port });
        socket.once('data', () => {
          socket.destroy();
          resolve();
        });
      });
      await waitUntil(() => sockets() <= before);
      expect(sockets()).toBeLessThanOrEqual(before);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => target.close(() => resolve()));
    }
  });

  it('refuses a trickle that would never move', async () => {
    await expect(
      startTcpProxy({ target: { host: '127.0.0.1', port: echoPort }, trickle: { bytes: 0, everyMs: 10 } }),
    ).rejects.toThrow('trickle');
  });
});
