import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repositoryRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A `tessera` command running as its own process, with its JSON log lines kept. */
export type Role = {
  name: string;
  child: ChildProcess;
  /** Parsed stderr lines, oldest first (a line that is not JSON as `{ msg }`). */
  lines: Record<string, unknown>[];
  alive(): boolean;
};

/**
 * Where a role's process runs: this machine, or a host of a virtual network
 * (`createVirtualNetwork`), whose `command` wraps the command line.
 */
export type RoleHost = { command(command: string, args: readonly string[]): [string, string[]] };

/** Starts and keeps track of `tessera` role processes; see {@link createRoleProcesses}. */
export type RoleProcesses = {
  readonly roles: readonly Role[];
  /** Runs `tessera <args>` from the sources, on `host` when given. */
  start(parameters: { name: string; args: readonly string[]; host?: RoleHost | undefined }): Role;
  /** The last log lines of every role, for a failure message. */
  diagnostics(): string;
  /** Polls `probe` until it returns a value; on timeout fails with `what` and the diagnostics. */
  waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
    everyMs?: number,
  ): Promise<T>;
  /** SIGKILLs every role still running and writes each one's log to `folder`. */
  stopAll(parameters: { logFolder: string }): Promise<void>;
};

/** Sends SIGKILL and resolves once the process is gone. */
export function killHard(role: Role): Promise<void> {
  if (!role.alive()) return Promise.resolve();
  const exited = new Promise<void>((resolve) => role.child.once('exit', () => resolve()));
  role.child.kill('SIGKILL');
  return exited;
}

/**
 * Role processes for end-to-end suites: each `tessera` command its own process (kill -9
 * means the real thing), run from the TypeScript sources, stderr parsed as JSON log lines.
 *
 * @example
 * const processes = createRoleProcesses();
 * const miner = processes.start({ name: 'miner-1', args: ['miner', ...flags] });
 * await processes.stopAll({ logFolder: join(repositoryRoot, 'test-output', 'suite') });
 */
export function createRoleProcesses(): RoleProcesses {
  const roles: Role[] = [];

  function start(parameters: { name: string; args: readonly string[]; host?: RoleHost | undefined }): Role {
    const args = [
      '--conditions=source',
      '--import',
      'tsx',
      join(repositoryRoot, 'packages/cli/src/main.ts'),
      ...parameters.args,
    ];
    const [file, argv] = parameters.host
      ? parameters.host.command(process.execPath, args)
      : [process.execPath, args];
    const child = spawn(file, argv, { cwd: repositoryRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    const role: Role = {
      name: parameters.name,
      child,
      lines: [],
      alive: () => child.exitCode === null && child.signalCode === null,
    };
    let rest = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = rest + chunk.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) {
        try {
          role.lines.push(JSON.parse(part) as Record<string, unknown>);
        } catch {
          role.lines.push({ msg: part });
        }
      }
    });
    roles.push(role);
    return role;
  }

  function diagnostics(): string {
    return roles
      .map((role) => {
        const tail = role.lines.slice(-25).map((line) => JSON.stringify(line));
        const state = role.alive() ? 'running' : `exited ${role.child.exitCode ?? role.child.signalCode}`;
        return `--- ${role.name} (${state})\n${tail.join('\n')}`;
      })
      .join('\n');
  }

  async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
    everyMs = 250,
  ): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${diagnostics()}`);
      await delay(everyMs);
    }
  }

  async function stopAll(parameters: { logFolder: string }): Promise<void> {
    await Promise.all(roles.map((role) => killHard(role)));
    mkdirSync(parameters.logFolder, { recursive: true });
    roles.forEach((role, i) =>
      writeFileSync(
        join(parameters.logFolder, `${i}-${role.name.replace(/\W+/g, '-')}.log`),
        role.lines.map((line) => JSON.stringify(line)).join('\n'),
      ),
    );
  }

  return { roles, start, diagnostics, waitFor, stopAll };
}
