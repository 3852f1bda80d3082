import { commands } from './commands/all.js';
import { runCli } from './runCli.js';

async function cli(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli({ argv, commands, env: {}, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
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
      const { code, out } = await cli([command.name, '--help']);
      expect(code).toBe(0);
      expect(out).toContain(`tessera ${command.name}`);
      expect(out).toContain('--config <path>');
    }
  });

  it('refuses an unknown command with exit code 2', async () => {
    const { code, err } = await cli(['mine']);
    expect(code).toBe(2);
    expect(err).toContain('Unknown command "mine"');
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
});
