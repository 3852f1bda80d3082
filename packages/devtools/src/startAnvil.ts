import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { AnvilError } from './AnvilError.js';
import { tetheredCommand } from './tetheredCommand.js';
import type { VirtualHost } from './createVirtualNetwork.js';

/** An anvil node this process started. */
export type Anvil = {
  /** `http://127.0.0.1:<port>`, or the virtual host's address */
  rpcUrl: string;
  port: number;
  chainId: number;
  /** Stops the node (SIGTERM, then SIGKILL after 3 s). Safe to call twice. */
  stop(): Promise<void>;
  /** Mines `blocks` blocks at once. */
  mine(blocks?: number): Promise<void>;
  /** Sends one JSON-RPC request and returns its result. */
  rpc<T = unknown>(method: string, params?: unknown[]): Promise<T>;
};

/** Parameters of {@link startAnvil}. */
export type StartAnvilParameters = {
  /** Seconds between blocks; undefined mines one block per transaction. @default undefined */
  blockTime?: number | undefined;
  /** Dev accounts to create from the default mnemonic. @default 10 */
  accounts?: number | undefined;
  /** Ether in each dev account. @default 10000 */
  balance?: number | undefined;
  /** Chain id. @default 31337 */
  chainId?: number | undefined;
  /** Block gas limit. @default anvil's (30 000 000) */
  gasLimit?: bigint | number | undefined;
  /** Lets eth_sendTransaction send from any address without its key. @default false */
  autoImpersonate?: boolean | undefined;
  /** Port to listen on. @default a free loopback port, or 8545 on a host given by `on` */
  port?: number | undefined;
  /**
   * Runs the node on this host of a virtual network (see `createVirtualNetwork`), listening on
   * its address, instead of on this machine's loopback. @default this machine
   */
  on?: Pick<VirtualHost, 'ip' | 'command'> | undefined;
  /** Further command-line arguments. */
  args?: string[] | undefined;
  /** Milliseconds to wait for it to answer. @default 20000 */
  timeoutMs?: number | undefined;
};

const platformPackages: Record<string, string> = {
  'linux-x64': '@foundry-rs/anvil-linux-amd64',
  'linux-arm64': '@foundry-rs/anvil-linux-arm64',
  'darwin-x64': '@foundry-rs/anvil-darwin-amd64',
  'darwin-arm64': '@foundry-rs/anvil-darwin-arm64',
  'win32-x64': '@foundry-rs/anvil-win32-amd64',
};

/**
 * Path of the anvil binary shipped by the `@foundry-rs/anvil` npm package: the platform
 * package's binary when installed (no wrapper process), else the package's `bin` script.
 *
 * @returns An absolute path to run.
 * @example
 * spawn(anvilBinary(), ['--version']);
 */
export function anvilBinary(): string {
  const require = createRequire(import.meta.url);
  const platformPackage = platformPackages[`${process.platform}-${process.arch}`];
  if (platformPackage) {
    try {
      const root = dirname(require.resolve(`${platformPackage}/package.json`));
      const binary = join(root, 'bin', process.platform === 'win32' ? 'anvil.exe' : 'anvil');
      if (existsSync(binary)) return binary;
    } catch {
      // not installed for this platform; fall back to the wrapper
    }
  }
  try {
    return join(dirname(require.resolve('@foundry-rs/anvil/package.json')), 'bin.mjs');
  } catch (cause) {
    throw new AnvilError('The anvil binary is not installed.', {
      cause,
      hint: 'Run `npm install` at the repository root (it installs @foundry-rs/anvil).',
    });
  }
}

/** Nodes this process started and has not stopped; killed if the process exits first. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const node of running) node.kill('SIGKILL');
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function jsonRpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new AnvilError(`anvil rejected ${method}.`, { details: body.error.message });
  return body.result as T;
}

/**
 * Starts a private anvil node on a free loopback port and waits until it answers.
 *
 * Used by the chain test suites, the devnet and the benchmarks, so none of them touches a
 * shared node. Retries on another port if the chosen one was taken in the meantime. A node
 * still running when this process exits is killed.
 *
 * @param parameters Block time, accounts, gas limit, impersonation.
 * @returns The node's URL and port, `stop()`, `mine(n)` and a raw `rpc()`.
 * @example
 * const anvil = await startAnvil();
 * const provider = new JsonRpcProvider(anvil.rpcUrl, undefined, { cacheTimeout: -1 });
 * await anvil.mine(10);
 * await anvil.stop();
 */
export async function startAnvil(parameters: StartAnvilParameters = {}): Promise<Anvil> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(parameters);
    } catch (error) {
      const portTaken = error instanceof AnvilError && /address already in use/i.test(error.details ?? '');
      if (!portTaken || parameters.port !== undefined || attempt >= 4) throw error;
    }
  }
}

async function startOnce(parameters: StartAnvilParameters): Promise<Anvil> {
  const on = parameters.on;
  const host = on?.ip ?? '127.0.0.1';
  const tether = on ? on.command : tetheredCommand;
  const port = parameters.port ?? (on ? 8545 : await freeLoopbackPort());
  const chainId = parameters.chainId ?? 31337;
  const args = ['--host', host, '--port', String(port), '--chain-id', String(chainId), '--silent'];
  if (parameters.blockTime !== undefined) args.push('--block-time', String(parameters.blockTime));
  if (parameters.accounts !== undefined) args.push('--accounts', String(parameters.accounts));
  if (parameters.balance !== undefined) args.push('--balance', String(parameters.balance));
  if (parameters.gasLimit !== undefined) args.push('--gas-limit', String(parameters.gasLimit));
  if (parameters.autoImpersonate) args.push('--auto-impersonate');
  args.push(...(parameters.args ?? []));

  const binary = anvilBinary();
  const child = binary.endsWith('.mjs')
    ? spawn(...tether(process.execPath, [binary, ...args]), {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TARGET_TOOL: 'anvil' },
      })
    : spawn(...tether(binary, args), { stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const rpcUrl = `http://${host}:${port}`;
  const deadline = Date.now() + (parameters.timeoutMs ?? 20_000);
  for (;;) {
    if (spawnError) throw new AnvilError('Could not start anvil.', { cause: spawnError, details: binary });
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new AnvilError('anvil exited before answering.', {
        details: stderr.trim() || `exit ${child.exitCode}`,
      });
    }
    try {
      await jsonRpc(rpcUrl, 'eth_chainId');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new AnvilError('anvil did not answer in time.', { details: `${rpcUrl} ${stderr.trim()}` });
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    rpcUrl,
    port,
    chainId,
    rpc: (method, params) => jsonRpc(rpcUrl, method, params),
    async mine(blocks = 1) {
      if (!Number.isInteger(blocks) || blocks < 0)
        throw new AnvilError('mine() takes a whole number of blocks.', { details: String(blocks) });
      if (blocks > 0) await jsonRpc(rpcUrl, 'anvil_mine', [`0x${blocks.toString(16)}`]);
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
