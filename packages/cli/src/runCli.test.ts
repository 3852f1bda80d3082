import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { ConfigError, NonRetryableChainError, RetryableChainError } from '@tessera/core';
import { commands } from './commands/all.js';
import { defineCommand } from './commands/command.js';
import type { Command } from './commands/command.js';
import { exitCodes } from './exitCodes.js';
import { runCli } from './runCli.js';

async function cli(argv: string[], list: readonly Command[] = commands) {
  let out = '';
  let err = '';
  const code = await runCli({
    argv,
    commands: list,
    env: {},
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { code, out, err };
}

/** A command that fails the way `error` says, for the exit-code table. */
function failing(error: unknown): Command {
  return defineCommand({
    name: 'fail',
    summary: 'Fails.',
    description: 'Fails.',
    schema: Type.Object({}),
    run: () => Promise.reject(error),
  });
}

describe('tessera', () => {
  it('lists every command the issue names', async () => {
    const { code, out } = await cli(['--help']);
    expect(code).toBe(0);
    for (const name of [
      'miner',
      'validator',
      'worker',
      'api',
      'devnet',
      'register',
      'stake',
      'delegate',
      'claim',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it('prints --help for every command, with its flags', async () => {
    for (const command of commands) {
      const { code, out } = await cli([...command.name.split(' '), '--help']);
      expect(code).toBe(0);
      expect(out).toContain(`tessera ${command.name}`);
      expect(out).toContain('--config <path>');
    }
  });

  it('refuses an unknown command with exit code 2, suggesting the closest one', async () => {
    const { code, err } = await cli(['mine']);
    expect(code).toBe(2);
    expect(err).toContain('Unknown command "mine". Did you mean "miner"?');
    expect((await cli(['valdiator'])).err).toContain('Did you mean "validator"?');
    const far = await cli(['frobnicate']);
    expect(far.code).toBe(exitCodes.usage);
    expect(far.err).toContain('Unknown command "frobnicate".\n');
    expect(far.err).not.toContain('Did you mean');
  });

  it('prints the version of the CLI package for --version and -V', async () => {
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const flag of ['--version', '-V']) {
      expect(await cli([flag])).toEqual({ code: 0, out: `tessera ${manifest.version}\n`, err: '' });
    }
  });

  it('maps what a command throws to one exit-code table', async () => {
    const cases: [unknown, number][] = [
      [new NonRetryableChainError('rejected', 'Reverted.'), 3],
      [new NonRetryableChainError('insufficient-funds', 'Cannot pay the burn.'), 3],
      [new NonRetryableChainError('already-registered', 'Has a uid.'), 3],
      [new RetryableChainError('aborted', 'Stopped.'), 130],
      [
        new ConfigError([{ field: 'wallet', source: 'flag', name: '--wallet', problem: 'no such wallet' }]),
        2,
      ],
      [new RetryableChainError('connection', 'Cannot reach the node.'), 1],
      [new Error('boom'), 1],
      ['not even an Error', 1],
    ];
    for (const [error, expected] of cases) {
      const { code, err } = await cli(['fail'], [failing(error)]);
      expect([String(error), code]).toEqual([String(error), expected]);
      expect(err).toMatch(/^tessera fail: /);
    }
    expect(exitCodes).toEqual({ ok: 0, failure: 1, usage: 2, refused: 3, interrupted: 130 });
  });

  it('lists every bad flag at once and exits 2 before doing anything', async () => {
    const { code, err } = await cli([
      'devnet',
      '--windows',
      '-3',
      '--adversaries',
      'copycat,bogus',
      '--nope',
    ]);
    expect(code).toBe(2);
    expect(err).toContain('--windows');
    expect(err).toContain('--adversaries');
    expect(err).toContain('--nope');
  });

  it('refuses a signing command without a key as a usage error, exit code 2', async () => {
    const { code, err } = await cli(['claim', '--deployment', '/nonexistent.json']);
    expect(code).toBe(2);
    expect(err).toContain('--private-key (missing): required with --chain evm');
  });

  describe('with a config file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tessera-cli-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const write = async (name: string, data: unknown) => {
      const path = join(dir, name);
      await writeFile(path, JSON.stringify(data));
      return path;
    };

    it("takes a file that also holds other commands' keys, and refuses keys no command takes", async () => {
      // One file for a host running a miner, a validator and the API: the worker reads its own
      // keys and skips the others.
      const run = await write('run.json', {});
      const shared = await write('host.json', {
        run,
        prefix: 'tessera:1:0xabc',
        backend: 'node-gpu',
        marginBlocks: 3,
        rpcUrl: 'http://127.0.0.1:8545',
        port: 8787,
        stake: '1000',
      });
      const worked = await cli(['worker', '--config', shared, '--metrics-port', '0']);
      // It got past the options to run, and failed on the GPU backend this machine lacks.
      expect(worked.err).not.toContain('Invalid configuration');
      expect(worked.err).toContain('Backend "node-gpu" (@tensorflow/tfjs-node-gpu) did not load');
      expect(worked.code).toBe(exitCodes.failure);

      const typo = await write('typo.json', { run, prefix: 'p', marginBlokcs: 3, nonsense: 1 });
      const refused = await cli(['worker', '--config', typo]);
      expect(refused.code).toBe(exitCodes.usage);
      expect(refused.err).toContain('marginBlokcs (file): unknown key; did you mean "marginBlocks"?');
      expect(refused.err).toContain('nonsense (file): unknown key');
    });
  });
});
