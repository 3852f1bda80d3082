import { buildOptions } from '@tessera/core';
import type { OptionProblem } from '@tessera/core';
import { runCli } from '../runCli.js';
import { commands } from './all.js';
import type { Command } from './command.js';

const key = `0x${'12'.repeat(32)}`;
const ss58 = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const byName = (name: string) => commands.find((c) => c.name === name) as Command;

/** Options as `tessera <name> <argv>` builds them, and the problems its check finds. */
function parse(name: string, argv: string[], env: Record<string, string> = {}) {
  const command = byName(name);
  const options = buildOptions({ schema: command.schema, argv, env });
  const problems: readonly OptionProblem[] = command.check?.(options as never) ?? [];
  return { options: options as Record<string, unknown>, problems: problems.map((p) => p.field) };
}

async function cli(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await runCli({ argv, commands, env, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const evm = ['--chain', 'evm', '--rpc-url', 'http://10.0.0.1:8545', '--deployment', 'd.json'];
const subtensor = ['--chain', 'subtensor', '--ws', 'wss://node.example:443', '--netuid', '7'];

describe.each(['miner', 'validator'])('tessera %s', (name) => {
  it('takes the EVM connection and --private-key', () => {
    const { options, problems } = parse(name, [...evm, '--private-key', key]);
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      chain: 'evm',
      rpcUrl: 'http://10.0.0.1:8545',
      deployment: 'd.json',
      privateKey: key,
    });
  });

  it('takes the subtensor connection and --hotkey, from flags or TESSERA_HOTKEY', () => {
    const { options, problems } = parse(name, subtensor, { TESSERA_HOTKEY: '//Alice' });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      chain: 'subtensor',
      ws: 'wss://node.example:443',
      netuid: 7,
      hotkey: '//Alice',
    });
  });

  it('requires --netuid on subtensor and the hotkey of its chain', () => {
    expect(parse(name, ['--chain', 'subtensor', '--hotkey', '//Alice']).problems).toEqual(['netuid']);
    expect(parse(name, [...subtensor]).problems).toEqual(['hotkey']);
    expect(parse(name, [...subtensor, '--hotkey', ss58]).problems).toEqual(['hotkey']);
    expect(parse(name, [...evm]).problems).toEqual(['privateKey']);
    expect(parse(name, [...subtensor, '--hotkey', '//Alice', '--private-key', key]).problems).toEqual([
      'privateKey',
    ]);
  });

  it('takes no coldkey: it never has to be on this box', () => {
    expect(() => parse(name, [...subtensor, '--hotkey', '//Alice', '--coldkey', '//Bob'])).toThrow(
      /--coldkey/,
    );
    // In the environment it is ignored like any variable the command does not know.
    expect(parse(name, subtensor, { TESSERA_HOTKEY: '//Alice', TESSERA_COLDKEY: '//Bob' }).problems).toEqual(
      [],
    );
  });
});

describe('tessera register', () => {
  it('stakes in TSR on EVM, signed by the hotkey', () => {
    const { options, problems } = parse('register', [
      ...evm,
      '--private-key',
      key,
      '--role',
      'validator',
      '--stake',
      '2.5',
    ]);
    expect(problems).toEqual([]);
    expect(options).toMatchObject({ chain: 'evm', role: 'validator', stake: '2.5' });
  });

  it('is signed by the coldkey on subtensor, the hotkey named by its address', () => {
    const { options, problems } = parse('register', [
      ...subtensor,
      ...['--hotkey', ss58, '--coldkey', '//Bob', '--role', 'validator', '--stake', '0.000000001'],
    ]);
    expect(problems).toEqual([]);
    expect(options).toMatchObject({ hotkey: ss58, coldkey: '//Bob' });
    expect(parse('register', [...subtensor, '--hotkey', ss58]).problems).toEqual(['coldkey']);
  });

  it('refuses a coldkey on EVM, and amounts with more decimals than the chain has', () => {
    expect(parse('register', [...evm, '--private-key', key, '--coldkey', '//Bob']).problems).toEqual([
      'coldkey',
    ]);
    const tooFine = ['--role', 'validator', '--stake', '0.0000000001'];
    expect(
      parse('register', [...subtensor, '--hotkey', ss58, '--coldkey', '//Bob', ...tooFine]).problems,
    ).toEqual(['stake']);
    // Ten decimals are fine in TSR.
    expect(parse('register', [...evm, '--private-key', key, ...tooFine]).problems).toEqual([]);
  });
});

describe('tessera stake and delegate', () => {
  it('stake needs the hotkey (or --validator-uid) and the coldkey on subtensor', () => {
    expect(
      parse('stake', [...subtensor, '--hotkey', ss58, '--coldkey', '//Bob', '--amount', '1']).problems,
    ).toEqual([]);
    expect(
      parse('stake', [...subtensor, '--coldkey', '//Bob', '--amount', '1', '--validator-uid', '3']).problems,
    ).toEqual([]);
    expect(parse('stake', [...subtensor, '--coldkey', '//Bob', '--amount', '1']).problems).toEqual([
      'hotkey',
    ]);
    expect(parse('stake', [...evm, '--private-key', key, '--amount', '1', '--unstake']).problems).toEqual([]);
  });

  it('delegate needs only the coldkey on subtensor, the key on EVM', () => {
    expect(
      parse('delegate', [...subtensor, '--coldkey', '//Bob', '--amount', '1', '--validator-uid', '0'])
        .problems,
    ).toEqual([]);
    expect(
      parse('delegate', [...evm, '--private-key', key, '--amount', '1', '--validator-uid', '0']).problems,
    ).toEqual([]);
    expect(parse('delegate', [...evm, '--amount', '1', '--validator-uid', '0']).problems).toEqual([
      'privateKey',
    ]);
  });

  it.each([
    ['-1', 'must not be negative'],
    ['abc', 'expected an amount of TAO'],
    ['1.0000000001', 'has 10 decimals; TAO has 9'],
    ['0', 'must be more than 0 TAO'],
  ])('refuses --amount %s on subtensor', async (amount, problem) => {
    const { code, err } = await cli([
      'delegate',
      ...subtensor,
      ...['--coldkey', '//Bob', '--validator-uid', '0', `--amount=${amount}`],
    ]);
    expect(code).toBe(2);
    expect(err).toContain(`--amount (flag): ${problem}`);
    expect(err).not.toContain('//Bob');
  });
});

describe('tessera claim', () => {
  it('takes the hotkey of its chain', () => {
    expect(parse('claim', [...evm, '--private-key', key]).problems).toEqual([]);
    expect(parse('claim', [...subtensor, '--hotkey', ss58, '--dry-run']).problems).toEqual([]);
    expect(parse('claim', [...subtensor]).problems).toEqual(['hotkey']);
  });
});

describe('tessera worker', () => {
  it('needs no chain and refuses chain flags instead of ignoring them', async () => {
    const { code, err } = await cli(['worker', '--prefix', 'p', '--chain', 'subtensor', '--netuid', '2']);
    expect(code).toBe(2);
    expect(err).toContain('--chain (flag): unknown flag');
    expect(err).toContain('--netuid (flag): unknown flag');
  });
});

describe.each([
  ['register', []],
  ['stake', ['--amount', '1']],
  ['delegate', ['--amount', '1', '--validator-uid', '0']],
  ['claim', []],
])('tessera %s on subtensor', (name, rest) => {
  const keys = ['--hotkey', ss58, '--coldkey', '//Bob'];
  const given = name === 'claim' ? ['--hotkey', ss58] : name === 'delegate' ? ['--coldkey', '//Bob'] : keys;

  it('has no default --netuid: without one it exits 2 before connecting, --yes or --dry-run', async () => {
    expect(parse(name, ['--chain', 'subtensor', ...given, ...rest]).options.netuid).toBeUndefined();
    for (const flag of ['--yes', '--dry-run']) {
      const { code, err } = await cli([name, '--chain', 'subtensor', ...given, ...rest, flag]);
      expect(code).toBe(2);
      expect(err).toContain('--netuid (missing): required with --chain subtensor');
    }
  });

  it('takes --yes and --dry-run, both off by default', () => {
    expect(parse(name, [...subtensor, ...given, ...rest]).options).toMatchObject({
      yes: false,
      dryRun: false,
    });
    expect(parse(name, [...subtensor, ...given, ...rest, '--yes', '--dry-run']).options).toMatchObject({
      yes: true,
      dryRun: true,
    });
    expect(parse(name, [...subtensor, ...given, ...rest], { TESSERA_YES: 'true' }).options.yes).toBe(true);
  });
});

describe('chain problems are usage errors', () => {
  it('exits 2 naming a missing --netuid before connecting', async () => {
    const { code, err } = await cli(['miner', '--chain', 'subtensor'], { TESSERA_HOTKEY: '//Alice' });
    expect(code).toBe(2);
    expect(err).toContain('--netuid (missing): required with --chain subtensor');
  });

  it('names the environment variable a bad value came from', async () => {
    const { code, err } = await cli(['validator', ...subtensor], { TESSERA_HOTKEY: ss58 });
    expect(code).toBe(2);
    expect(err).toContain('TESSERA_HOTKEY (env): is an SS58 address, which cannot sign');
    expect(err).not.toContain(ss58);
  });

  it('lists every problem at once', async () => {
    const { code, err } = await cli([
      'register',
      '--chain',
      'subtensor',
      '--role',
      'validator',
      '--stake',
      '1.0000000001',
    ]);
    expect(code).toBe(2);
    for (const flag of ['--netuid', '--hotkey', '--coldkey', '--stake']) expect(err).toContain(flag);
  });
});
