import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { runTessera } from '../_test/runTessera.js';
import { commands } from './all.js';

/** Runs `tessera …`, capturing what it prints. */
const cli = (argv: string[]) => runTessera(commands, argv);

// Anvil's first dev account, and Substrate's development phrase with its address (`subkey inspect`).
const evmKey = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const evmAddress = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const devPhrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const devAddress = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';
const password = 'correct horse battery staple';

let home: string;
let root: string;
let passwordFile: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'tessera-wallet-cmd-'));
  root = join(home, 'wallets');
  passwordFile = join(home, 'password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const at = () => ['--wallet-path', root, '--password-file', passwordFile];

/** `tessera wallet import` of the secret in `secretFile` as the ops wallet's `key`. */
const importIntoOps = (key: 'coldkey' | 'hotkey' | 'evm', secretFile: string, ...flags: string[]) =>
  cli(['wallet', 'import', '--wallet', 'ops', '--key', key, '--secret-file', secretFile, ...flags, ...at()]);

describe('tessera wallet', () => {
  it('lists its actions, and suggests one for a typo', async () => {
    const help = await cli(['wallet', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/wallet create .*\n.*wallet import .*\n.*wallet list .*\n.*wallet show /);
    const typo = await cli(['wallet', 'creat']);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain('Did you mean "wallet create"?');
    expect((await cli(['wallet', 'create', '--help'])).out).toContain('--show-secret');
  });

  it('creates an EVM key, printing its address and no secret, that show decrypts on request', async () => {
    const created = await cli(['wallet', 'create', '--wallet', 'ops', '--key', 'evm', ...at()]);
    expect(created).toMatchObject({ code: 0, err: '' });
    const { address, path } = JSON.parse(created.out) as { address: string; path: string };
    expect(path).toBe(join(root, 'ops', 'evm', 'default.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'ops'))).mode & 0o777).toBe(0o700);

    const shown = await cli(['wallet', 'show', '--wallet', 'ops', '--key', 'evm', '--wallet-path', root]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toEqual({
      wallet: 'ops',
      key: 'evm',
      name: 'default',
      address,
      encrypted: true,
      path,
    });
    const secret = await cli(['wallet', 'show', '--wallet', 'ops', '--key', 'evm', '--show-secret', ...at()]);
    const { secret: privateKey } = JSON.parse(secret.out) as { secret: string };
    expect(new Wallet(privateKey).address).toBe(address);
    expect(created.out + shown.out).not.toContain(privateKey.slice(2));

    const again = await cli(['wallet', 'create', '--wallet', 'ops', '--key', 'evm', ...at()]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('exists already');
  });

  it('prints a new hotkey’s mnemonic only with --show-secret, on stderr', async () => {
    const quiet = await cli(['wallet', 'create', '--key', 'hotkey', '--hotkey-name', 'h1', ...at()]);
    expect(quiet).toMatchObject({ code: 0, err: '' });
    const loud = await cli([
      'wallet',
      'create',
      '--key',
      'hotkey',
      '--hotkey-name',
      'h2',
      '--show-secret',
      ...at(),
    ]);
    expect(loud.code).toBe(0);
    const words = loud.err.trim().split('\n').at(-1)!.split(' ');
    expect(words).toHaveLength(12);
    expect(loud.out).not.toContain(words.join(' '));
    const file = await readFile(join(root, 'default', 'hotkeys', 'h2'), 'utf8');
    expect(file).not.toContain(words[0]! + ' ' + words[1]!);
  });

  it('imports a coldkey and an EVM key from files, writing coldkeypub.txt as btcli does', async () => {
    const phrase = join(home, 'phrase');
    await writeFile(
      phrase,
      `${devPhrase.split(' ').slice(0, 6).join(' ')}\n${devPhrase.split(' ').slice(6).join(' ')}\n`,
    );
    const coldkey = await importIntoOps('coldkey', phrase);
    expect(coldkey.code).toBe(0);
    expect(JSON.parse(coldkey.out)).toMatchObject({ key: 'coldkey', address: devAddress });
    const pub = JSON.parse(await readFile(join(root, 'ops', 'coldkeypub.txt'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pub).toMatchObject({
      ss58Address: devAddress,
      secretPhrase: null,
      secretSeed: null,
      privateKey: null,
    });

    const keyFile = join(home, 'key');
    await writeFile(keyFile, `${evmKey}\n`);
    const evm = await importIntoOps('evm', keyFile, '--hotkey-name', 'op');
    expect(JSON.parse(evm.out)).toMatchObject({ key: 'evm', name: 'op', address: evmAddress });
    expect(evm.out + evm.err + coldkey.out + coldkey.err).not.toMatch(/obey|ac0974bec/);

    const bad = join(home, 'bad');
    await writeFile(bad, 'not a mnemonic at all\n');
    const refused = await cli(['wallet', 'import', '--key', 'hotkey', '--secret-file', bad, ...at()]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('not a valid mnemonic');
    expect(refused.err).not.toContain('not a mnemonic at all');
    expect((await cli(['wallet', 'import', '--key', 'hotkey', '--secret', devPhrase])).code).toBe(2);
  });

  it('lists wallets with public addresses only, btcli’s wallets included', async () => {
    await importIntoOps('coldkey', await file('p', devPhrase));
    await importIntoOps('evm', await file('k', evmKey));
    // A btcli wallet beside it: an encrypted coldkey this CLI cannot open, its coldkeypub.txt, a plaintext hotkey.
    const btcli = join(root, 'btcli');
    await writeFileIn(
      join(btcli, 'hotkeys', 'default'),
      JSON.stringify({ secretPhrase: devPhrase, ss58Address: devAddress }),
    );
    await writeFileIn(join(btcli, 'coldkey'), '$NACLencrypted');
    await writeFileIn(join(btcli, 'coldkeypub.txt'), JSON.stringify({ ss58Address: devAddress }));

    const listed = await cli(['wallet', 'list', '--wallet-path', root, '--json']);
    expect(listed.code).toBe(0);
    const wallets = JSON.parse(listed.out) as { wallet: string; keys: object[] }[];
    expect(wallets.map((w) => [w.wallet, w.keys.map((k) => ({ ...k, path: undefined }))])).toEqual([
      [
        'btcli',
        [
          { key: 'coldkey', name: 'coldkey', address: devAddress, encrypted: true },
          { key: 'hotkey', name: 'default', address: devAddress, encrypted: false },
        ],
      ],
      [
        'ops',
        [
          { key: 'coldkey', name: 'coldkey', address: devAddress, encrypted: true },
          { key: 'evm', name: 'default', address: evmAddress, encrypted: true },
        ],
      ],
    ]);
    const table = await cli(['wallet', 'list', '--wallet-path', root]);
    expect(table.out.split('\n')[0]).toMatch(/^WALLET\s+KEY\s+NAME\s+ADDRESS\s+ENCRYPTED$/);
    expect(table.out).toContain(evmAddress);
    expect(listed.out + table.out).not.toMatch(/obey|ac0974bec/);

    const shown = await cli([
      'wallet',
      'show',
      '--wallet',
      'btcli',
      '--key',
      'hotkey',
      '--show-secret',
      '--wallet-path',
      root,
    ]);
    expect(JSON.parse(shown.out)).toMatchObject({ address: devAddress, secret: devPhrase, encrypted: false });
  });

  it('refuses names that would leave the wallet folder before touching a file', async () => {
    const escaped = await cli(['wallet', 'create', '--wallet', '../x', '--key', 'evm', ...at()]);
    expect(escaped.code).toBe(2);
    const hotkey = await cli(['wallet', 'create', '--key', 'hotkey', '--hotkey-name', '../../x', ...at()]);
    expect(hotkey.code).toBe(2);
    expect(await readdir(home)).toEqual(['password']);
  });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(home, name);
  await writeFile(path, `${text}\n`);
  return path;
}

async function writeFileIn(path: string, text: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}
