// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- s3rver ships no types; packages that compile this file from source need the declaration too
/// <reference path="./s3rver.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { BaseError } from '@tessera/errors';
import S3rver from 's3rver';
import type { VirtualHost } from './createVirtualNetwork.js';

/** Parameters of {@link startS3Server}. */
export type StartS3ServerParameters = {
  /** Buckets created at start. @default ['tessera'] */
  buckets?: readonly string[] | undefined;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string | undefined;
  /**
   * Runs the server in a child process on this host of a virtual network (see
   * `createVirtualNetwork`), listening on its address at port 4568, instead of in this
   * process. @default this process
   */
  on?: Pick<VirtualHost, 'ip' | 'command'> | undefined;
};

/** A running S3-protocol server; see {@link startS3Server}. */
export type S3Server = {
  /** Service URL, e.g. `http://127.0.0.1:40123`. */
  readonly endpoint: string;
  readonly region: 'us-east-1';
  /** The one key pair it accepts. */
  readonly credentials: { readonly accessKeyId: 'S3RVER'; readonly secretAccessKey: 'S3RVER' };
  /** Stops the server and removes its files. */
  stop(): Promise<void>;
};

/**
 * Starts s3rver, a real S3-protocol server (path and virtual-host addressing, XML errors),
 * on a free loopback port, storing objects in a fresh temporary folder.
 *
 * What it checks: the access key id (only `S3RVER` exists; any other is
 * `403 InvalidAccessKeyId`) and, for the old V2 scheme only, the signature. A SigV4 signature
 * (what every current client sends) is not verified, so a wrong secret goes through.
 * Unsigned requests are served anonymously, like a public-read bucket.
 *
 * @example
 * const s3 = await startS3Server({ buckets: ['tessera'] });
 * afterAll(() => s3.stop());
 */
export async function startS3Server(parameters: StartS3ServerParameters = {}): Promise<S3Server> {
  if (parameters.on) return startOnHost(parameters.on, parameters.buckets ?? ['tessera']);
  const directory = await mkdtemp(join(tmpdir(), 'tessera-s3-'));
  const server = new S3rver({
    address: parameters.host ?? '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: (parameters.buckets ?? ['tessera']).map((name) => ({ name })),
  });
  let address: { address: string; port: number };
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    endpoint: `http://${host}:${address.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async stop() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** s3rver's own command line in a child process on a virtual host, ready once its port answers. */
async function startOnHost(
  host: Pick<VirtualHost, 'ip' | 'command'>,
  buckets: readonly string[],
): Promise<S3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'tessera-s3-'));
  const cli = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const port = 4568;
  const args = [cli, '-d', directory, '-a', host.ip, '-p', String(port), '--silent'];
  for (const bucket of buckets) args.push('--configure-bucket', bucket);
  const child = spawn(...host.command(process.execPath, args), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host: host.ip, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  const deadline = Date.now() + 15_000;
  while (!(await answers())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await rm(directory, { recursive: true, force: true });
      throw new BaseError('s3rver did not come up.', { details: stderr.trim() || `${host.ip}:${port}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    endpoint: `http://${host.ip}:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
