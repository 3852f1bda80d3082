import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOptions, hyperparameterPresets } from '@tessera/core';
import type { OptionProblem } from '@tessera/core';
import { runTessera } from '../_test/runTessera.js';
import { exitCodes } from '../exitCodes.js';
import { commands } from './all.js';
import { subnetSetRunConfigCommand } from './subnet.js';

const ss58 = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const subtensor = ['--chain', 'subtensor', '--ws', 'wss://node.example:443', '--netuid', '7'];

/** Options as `tessera subnet set-run-config <argv>` builds them, and the fields its check finds wrong. */
function parse(argv: string[], env: Record<string, string> = {}) {
  const command = subnetSetRunConfigCommand;
  const options = buildOptions({ schema: command.schema, argv, env });
  const problems: readonly OptionProblem[] = command.check?.(options as never) ?? [];
  return { options: options as Record<string, unknown>, problems: problems.map((p) => p.field) };
}

describe('tessera subnet set-run-config', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-subnet-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('takes the subtensor connection, the owner hotkey that signs and --run', () => {
    const { options, problems } = parse([...subtensor, '--hotkey', '//Alice', '--run', 'run.json']);
    expect(problems).toEqual([]);
    expect(options).toMatchObject({ chain: 'subtensor', netuid: 7, hotkey: '//Alice', run: 'run.json' });
    expect(parse([...subtensor, '--run', 'run.json'], { TESSERA_HOTKEY: '//Alice' }).problems).toEqual([]);
  });

  it('needs a hotkey that can sign and a netuid, and takes no coldkey', () => {
    expect(parse([...subtensor, '--run', 'run.json']).problems).toEqual(['hotkey']);
    expect(parse([...subtensor, '--hotkey', ss58, '--run', 'run.json']).problems).toEqual(['hotkey']);
    expect(parse(['--chain', 'subtensor', '--hotkey', '//Alice', '--run', 'run.json']).problems).toEqual([
      'netuid',
    ]);
    expect(() =>
      parse([...subtensor, '--hotkey', '//Alice', '--run', 'r.json', '--coldkey', '//Bob']),
    ).toThrow(/--coldkey/);
  });

  it('requires --run', async () => {
    const { code, err } = await runTessera(commands, [
      'subnet',
      'set-run-config',
      ...subtensor,
      '--hotkey',
      '//Alice',
    ]);
    expect(code).toBe(exitCodes.usage);
    expect(err).toContain('--run');
  });

  it('refuses --chain evm with exit 2: the deploy script records the hash there', async () => {
    const { code, err } = await runTessera(commands, [
      'subnet',
      'set-run-config',
      '--chain',
      'evm',
      '--private-key',
      `0x${'12'.repeat(32)}`,
      '--run',
      'run.json',
    ]);
    expect(code).toBe(exitCodes.usage);
    expect(err).toContain('--chain');
    expect(err).toContain('subtensor only');
    expect(err).toContain('--run-config-hash');
  });

  it('refuses a run config that is not valid before it connects to anything', async () => {
    const run = join(dir, 'run.json');
    await writeFile(run, JSON.stringify({ ...hyperparameterPresets.tiny, innerSteps: -1 }));
    // The node named is unreachable: the command must fail on the file, not on the connection.
    const argv = ['subnet', 'set-run-config', ...subtensor, '--hotkey', '//Alice', '--run', run];
    const invalid = await runTessera(commands, argv);
    expect(invalid.code).toBe(exitCodes.usage);
    expect(invalid.err).toContain('innerSteps');
    const missing = await runTessera(commands, [...argv.slice(0, -1), join(dir, 'absent.json')]);
    expect(missing.code).toBe(exitCodes.failure);
    expect(missing.err).toContain('Cannot read the run config');
  });

  it('is listed under tessera subnet', async () => {
    const { code, out } = await runTessera(commands, ['subnet', '--help']);
    expect(code).toBe(exitCodes.ok);
    expect(out).toContain('set-run-config');
  });
});
