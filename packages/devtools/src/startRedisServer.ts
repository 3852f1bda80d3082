import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BaseError } from '@tessera/errors';
import { freePort } from './freePort.js';
import { tetheredCommand, tetheredExecFailed } from './tetheredCommand.js';
import type { VirtualHost } from './createVirtualNetwork.js';

/** A redis-server this process started. */
export type RedisServer = {
  url: string;
  host: string;
  port: number;
  /** Stops the server (SIGTERM, so an append-only file is flushed) and removes a data folder it made itself. */
  stop(): Promise<void>;
};

/** Parameters of {@link startRedisServer}. */
export type StartRedisServerParameters = {
  /** @default a free port, or 6379 on a host given by `on` */
  port?: number | undefined;
  /**
   * Runs the server on this host of a virtual network (see `createVirtualNetwork`), listening
   * on its address with protected mode off, instead of on this machine's loopback.
   * @default this machine
   */
  on?: Pick<VirtualHost, 'ip' | 'command'> | undefined;
  /** Path of the redis-server binary. @default 'redis-server' on PATH */
  binary?: string | undefined;
  /** Milliseconds to wait for it to answer PING. @default 10000 */
  timeoutMs?: number | undefined;
  /**
   * Data folder, kept on `stop()`: a server started again on the same folder (and port) with
   * `appendOnly` finds what the last one held, as a restarted production Redis would.
   * @default a temporary folder, removed on `stop()`
   */
  dir?: string | undefined;
  /** Persist every write to an append-only file (fsync each second). @default false */
  appendOnly?: boolean | undefined;
};

/**
 * Starts a private redis-server on a free loopback port, persisting nothing unless asked to
 * (`appendOnly` with a `dir`, for tests that restart Redis).
 *
 * Used by tests and the devnet so they never touch a shared Redis.
 *
 * @example
 * const redis = await startRedisServer();
 * // ... new IORedis(redis.url) ...
 * await redis.stop();
 */
export async function startRedisServer(parameters: StartRedisServerParameters = {}): Promise<RedisServer> {
  const on = parameters.on;
  const host = on?.ip ?? '127.0.0.1';
  const port = parameters.port ?? (on ? 6379 : await freePort({ host }));
  const ownDir = parameters.dir === undefined;
  const dir = parameters.dir ?? mkdtempSync(join(tmpdir(), 'tessera-redis-'));
  const removeDir = () => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  const binary = parameters.binary ?? 'redis-server';
  // Tethered: a server outliving this process (killed hard) would hold its port for good.
  const child = spawn(
    ...(on ? on.command : tetheredCommand)(binary, [
      ...['--bind', host, '--port', String(port), '--save', '', '--dir', dir],
      // Protected mode refuses every client but loopback when no password is set.
      ...['--protected-mode', on ? 'no' : 'yes'],
      ...['--appendonly', parameters.appendOnly === true ? 'yes' : 'no', '--appendfsync', 'everysec'],
    ]),
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cannotStart = (cause: unknown) =>
    new BaseError('Could not start redis-server.', {
      cause,
      details: binary,
      hint: 'Install it (apt-get install redis-server) or pass its path.',
    });
  const failed = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(cannotStart(error))),
  );

  const deadline = Date.now() + (parameters.timeoutMs ?? 10_000);
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port }, () => socket.write('PING\r\n'));
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
  try {
    for (;;) {
      const ok = await Promise.race([ping(), failed]);
      if (ok) break;
      if (child.exitCode === tetheredExecFailed) throw cannotStart(new Error(stderr.trim()));
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new BaseError('redis-server did not come up.', { details: stderr.trim() || `port ${port}` });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (error) {
    child.kill('SIGKILL');
    removeDir();
    throw error;
  }

  return {
    url: `redis://${host}:${port}`,
    host,
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      removeDir();
    },
  };
}
