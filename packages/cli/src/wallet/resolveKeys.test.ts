import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@tessera/core';
import { resolveKeys, warnOnKeyFlags } from './resolveKeys.js';
import type { WalletKeyOptions } from './resolveKeys.js';
import { storeKey } from './storeKey.js';
import { WalletError } from './walletError.js';
import { walletLayout } from './walletLayout.js';
import { writeKeyFile } from './writeKeyFile.js';

// Anvil's first dev account, and Substrate's development phrase with its addresses (`subkey inspect`).
const evmKey = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const devPhrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const devAddress = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';
const aliceAddress = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const password = 'correct horse battery staple';

/** A logger that keeps what was warned. */
function recordingLogger(): Logger & { warnings: { message: string; fields: unknown }[] } {
  const warnings: { message: string; fields: unknown }[] = [];
  const logger = {
    warnings,
    debug() {},
    info() {},
    warn(message: string, fields?: unknown) {
      warnings.push({ message, fields });
    },
    error() {},
    child: () => logger,
  };
  return logger as unknown as Logger & { warnings: typeof warnings };
}

let root: string;
let passwordFile: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tessera-resolve-keys-'));
  passwordFile = join(root, 'password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  await storeKey({ root, wallet: 'ops', key: 'evm', name: 'default', secret: evmKey, password });
  await storeKey({ root, wallet: 'ops', key: 'coldkey', name: 'coldkey', secret: devPhrase, password });
  await storeKey({ root, wallet: 'ops', key: 'hotkey', name: 'default', secret: '//Alice', password });
  // A hotkey as btcli writes it, in the clear.
  await writeKeyFile({
    path: walletLayout({ root, wallet: 'ops' }).hotkey('btcli'),
    text: JSON.stringify({ secretPhrase: devPhrase, secretSeed: null, ss58Address: devAddress }),
  });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const base = { walletPath: undefined, hotkeyName: 'default' } as const;
const resolve = (options: WalletKeyOptions, logger: Logger = recordingLogger()) =>
  resolveKeys({ options: { ...base, walletPath: root, passwordFile, ...options }, env: {}, logger });

describe('resolveKeys', () => {
  it('passes raw keys through when no wallet is named', async () => {
    await expect(
      resolveKeys({ options: { chain: 'evm', privateKey: evmKey }, env: {}, logger: recordingLogger() }),
    ).resolves.toEqual({
      privateKey: evmKey,
    });
  });

  it('decrypts the wallet’s EVM key on EVM', async () => {
    await expect(resolve({ chain: 'evm', wallet: 'ops' })).resolves.toEqual({ privateKey: evmKey });
  });

  it('takes the password from TESSERA_WALLET_PASSWORD when no file is given', async () => {
    const keys = await resolveKeys({
      options: { chain: 'evm', wallet: 'ops', walletPath: root },
      env: { TESSERA_WALLET_PASSWORD: password },
      logger: recordingLogger(),
    });
    expect(keys).toEqual({ privateKey: evmKey });
  });

  it('decrypts the hotkey that signs for a role on subtensor', async () => {
    await expect(resolve({ chain: 'subtensor', wallet: 'ops' })).resolves.toEqual({ hotkey: '//Alice' });
  });

  it('reads btcli’s plaintext hotkey, warning that it is not encrypted', async () => {
    const logger = recordingLogger();
    await expect(
      resolve({ chain: 'subtensor', wallet: 'ops', hotkeyName: 'btcli' }, logger),
    ).resolves.toEqual({
      hotkey: devPhrase,
    });
    expect(logger.warnings.map((w) => w.message)).toEqual([expect.stringContaining('not encrypted')]);
    expect(JSON.stringify(logger.warnings)).not.toContain('obey');
  });

  it('signs with the coldkey and names the hotkey by its address on the commands that move funds', async () => {
    await expect(resolve({ chain: 'subtensor', wallet: 'ops', walletColdkey: true })).resolves.toEqual({
      coldkey: devPhrase,
      hotkey: aliceAddress,
    });
  });

  it('refuses a missing key, a wrong password and a name that leaves the wallet', async () => {
    const reason = (options: WalletKeyOptions) =>
      resolve(options).then(
        () => 'resolved',
        (error: unknown) => (error instanceof WalletError ? error.reason : String(error)),
      );
    expect(await reason({ chain: 'evm', wallet: 'ops', hotkeyName: 'absent' })).toBe('not-found');
    expect(await reason({ chain: 'evm', wallet: 'nowhere' })).toBe('not-found');
    expect(await reason({ chain: 'evm', wallet: 'ops', hotkeyName: '../ops/evm/default' })).toBe('bad-name');
    const wrong = join(root, 'wrong');
    await writeFile(wrong, 'not the password\n');
    expect(await reason({ chain: 'evm', wallet: 'ops', passwordFile: wrong })).toBe('bad-password');
    expect(await reason({ chain: 'subtensor', wallet: 'ops', passwordFile: wrong })).toBe('bad-password');
  });
});

describe('warnOnKeyFlags', () => {
  it('warns for each secret given as a flag, naming the flag and never the value', () => {
    const logger = recordingLogger();
    warnOnKeyFlags({
      argv: [
        'register',
        '--private-key',
        evmKey,
        `--coldkey=${devPhrase}`,
        '--hotkey',
        aliceAddress,
        '--wallet',
        'ops',
      ],
      logger,
    });
    expect(logger.warnings.map((w) => w.fields)).toEqual([{ flag: '--private-key' }, { flag: '--coldkey' }]);
    expect(JSON.stringify(logger.warnings)).not.toContain(evmKey.slice(2));
    expect(JSON.stringify(logger.warnings)).not.toContain('obey');
  });
});
