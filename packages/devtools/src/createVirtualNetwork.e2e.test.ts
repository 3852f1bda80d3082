import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { createVirtualNetwork } from './createVirtualNetwork.js';
import { startAnvil } from './startAnvil.js';
import { startRedisServer } from './startRedisServer.js';
import { startS3Server } from './startS3Server.js';
import type { VirtualNetwork } from './createVirtualNetwork.js';

const run = promisify(execFile);

/** Node's one-line TCP echo server, listening on `host:port` inside a namespace. */
const echoServer = (host: string, port: number) =>
  `require('node:net').createServer((s) => s.pipe(s)).listen(${port}, '${host}', () => console.log('up'))`;

/** Connects from this process and sends one line; resolves to the echoed text or the error code. */
function echo(host: string, port: number, timeoutMs = 1_500): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, timeoutMs);
    socket.once('connect', () => socket.write('ping'));
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString());
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? 'error');
    });
  });
}

function echoRedis(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
    socket.once('error', reject);
  });
}

async function startEcho(
  net: VirtualNetwork<'a' | 'b'>,
  host: 'a' | 'b',
  bind: string,
): Promise<ChildProcess> {
  const child = spawn(...net.hosts[host].command(process.execPath, ['-e', echoServer(bind, 7000)]), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`echo server exited with ${code}`)));
  });
  return child;
}

// Namespaces need root; CI runs as root. Without it this suite fails (it does not skip): a
// multi-host test that silently did not run would pass for the wrong reason.
describe('createVirtualNetwork', () => {
  let net: VirtualNetwork<'a' | 'b'>;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    net = await createVirtualNetwork({ hosts: ['a', 'b'] });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await net?.destroy();
  });

  it('gives every host its own address and loopback, reachable only over the network', async () => {
    expect(net.hosts.a.ip).not.toBe(net.hosts.b.ip);
    children.push(await startEcho(net, 'a', '0.0.0.0'));
    // From the driver and from the other host, over the bridge.
    expect(await echo(net.hosts.a.ip, 7000)).toBe('ping');
    const fromB = await run(
      ...net.hosts.b.command(process.execPath, [
        '-e',
        `const s = require('node:net').connect(7000, '${net.hosts.a.ip}', () => s.write('hi')); s.on('data', (d) => { console.log(String(d)); s.destroy(); })`,
      ]),
    );
    expect(fromB.stdout.trim()).toBe('hi');
    // A's loopback is A's own: the driver's 127.0.0.1 does not reach it.
    children.push(await startEcho(net, 'b', '127.0.0.1'));
    expect(await echo('127.0.0.1', 7000)).not.toBe('ping');
  });

  it('cut() drops the host off the network and restore() brings it back', async () => {
    await net.hosts.a.cut();
    expect(await echo(net.hosts.a.ip, 7000, 800)).not.toBe('ping');
    await net.hosts.a.restore();
    let answer = '';
    for (let attempt = 0; attempt < 20 && answer !== 'ping'; attempt++)
      answer = await echo(net.hosts.a.ip, 7000);
    expect(answer).toBe('ping');
  });

  it('runs anvil, redis-server and s3rver on a host, reachable at its address', async () => {
    const anvil = await startAnvil({ on: net.hosts.b });
    const redis = await startRedisServer({ on: net.hosts.b });
    const s3 = await startS3Server({ on: net.hosts.a, buckets: ['models'] });
    try {
      expect(s3.endpoint).toBe(`http://${net.hosts.a.ip}:4568`);
      // An unsigned read of a bucket that exists but holds nothing: S3's NoSuchKey, over the network.
      const missing = await fetch(`${s3.endpoint}/models/nothing`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('NoSuchKey');
      expect(anvil.rpcUrl).toBe(`http://${net.hosts.b.ip}:8545`);
      expect(await anvil.rpc('eth_chainId')).toBe('0x7a69');
      expect(redis.url).toBe(`redis://${net.hosts.b.ip}:6379`);
      expect(await echoRedis(redis.host, redis.port)).toBe('+PONG');
    } finally {
      await anvil.stop();
      await redis.stop();
      await s3.stop();
    }
  });

  it('destroy() removes every namespace it made', async () => {
    const other = await createVirtualNetwork({ hosts: ['x'] });
    const namespace = other.hosts.x.namespace;
    expect((await run('ip', ['netns', 'list'])).stdout).toContain(namespace);
    await other.destroy();
    await other.destroy();
    expect((await run('ip', ['netns', 'list'])).stdout).not.toContain(namespace);
  });
});
