import { readFile } from 'node:fs/promises';
import type { ChainName, Logger } from '@tessera/core';
import { decryptEvmKey } from './evmKeystore.js';
import { readPassword } from './readPassword.js';
import { decryptSubstrateKey, substrateAddressOf } from './substrateKeystore.js';
import { WalletError } from './walletError.js';
import { walletLayout } from './walletLayout.js';

/** The wallet options a command may take (`walletFields`), beside its raw key options. */
export type WalletKeyOptions = {
  chain: ChainName;
  /** `--wallet`: read the keys from this wallet instead of raw key options. */
  wallet?: string | undefined;
  /** `--hotkey-name`: the hotkey (subtensor) or EVM key in the wallet. @default 'default' */
  hotkeyName?: string | undefined;
  /** `--wallet-path`. @default '~/.tessera/wallets' */
  walletPath?: string | undefined;
  /** `--password-file`. */
  passwordFile?: string | undefined;
  /**
   * Set (from `coldkeyFields`) on the commands that move funds: with `--wallet` on subtensor
   * the wallet's coldkey signs, and the hotkey is named by its address only.
   */
  walletColdkey?: boolean | undefined;
  privateKey?: string | undefined;
  hotkey?: string | undefined;
  coldkey?: string | undefined;
};

/** The keys as openChain passes them on: `privateKey` on EVM, `hotkey` and `coldkey` on subtensor. */
export type ResolvedKeys = { privateKey?: string; hotkey?: string; coldkey?: string };

/** Key flags whose value is a secret (an SS58 `--hotkey` is not). */
const secretFlags = ['--private-key', '--hotkey', '--coldkey'];
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/**
 * Warns for each raw key given as a flag of this process: every user of the machine can read
 * a process's arguments (`ps`, /proc). Never logs the value.
 *
 * @example
 * warnOnKeyFlags({ argv: process.argv.slice(2), logger });
 */
export function warnOnKeyFlags(parameters: { argv: readonly string[]; logger: Logger }): void {
  const { argv, logger } = parameters;
  for (const [i, arg] of argv.entries()) {
    const flag = secretFlags.find((name) => arg === name || arg.startsWith(`${name}=`));
    if (flag === undefined) continue;
    const value = arg === flag ? (argv[i + 1] ?? '') : arg.slice(flag.length + 1);
    if (flag !== '--private-key' && SS58.test(value.trim())) continue;
    const env = `TESSERA_${flag.slice(2).toUpperCase().replace('-', '_')}`;
    logger.warn(
      `${flag} was given on the command line, where every user of this machine can read it (ps); use --wallet, or ${env}`,
      { flag },
    );
  }
}

/**
 * The keys a command signs with: the raw key options as given, or, with `--wallet`, the
 * wallet's keys decrypted with one password (`--password-file`, `TESSERA_WALLET_PASSWORD`, or
 * a prompt on a terminal, asked only when a key is encrypted).
 *
 * - EVM: `evm/<hotkey-name>.json`, a Web3 secret-storage keystore, as `privateKey`.
 * - Subtensor, roles: `hotkeys/<hotkey-name>` decrypted, as `hotkey`.
 * - Subtensor, commands that move funds (`walletColdkey`): `coldkey` decrypted, and the hotkey
 *   by its address (read without the password) when the wallet has it.
 *
 * @throws WalletError when the wallet or a key is missing, the password is missing or wrong,
 *   or a file was altered.
 * @example
 * const keys = await resolveKeys({ options, env: process.env, logger });
 */
export async function resolveKeys(parameters: {
  options: WalletKeyOptions;
  env: Record<string, string | undefined>;
  logger: Logger;
}): Promise<ResolvedKeys> {
  const { options, env } = parameters;
  const raw = {
    ...(options.privateKey === undefined ? {} : { privateKey: options.privateKey }),
    ...(options.hotkey === undefined ? {} : { hotkey: options.hotkey }),
    ...(options.coldkey === undefined ? {} : { coldkey: options.coldkey }),
  };
  if (options.wallet === undefined) return raw;
  const layout = walletLayout({ root: options.walletPath, wallet: options.wallet });
  const hotkeyName = options.hotkeyName ?? 'default';
  let password: Promise<string> | undefined;
  const passwordOnce = () =>
    (password ??= readPassword({
      passwordFile: options.passwordFile,
      env,
      purpose: `wallet "${options.wallet}"`,
    }));
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      throw new WalletError('not-found', `Wallet "${options.wallet}" has no ${what} (${path}).`, {
        hint: 'List its keys with `tessera wallet list`; create one with `tessera wallet create`, or check --wallet-path.',
      });
    }
  };

  if (options.chain === 'evm') {
    if (raw.privateKey !== undefined) return raw;
    const path = layout.evm(hotkeyName);
    const json = await read(path, `EVM key "${hotkeyName}"`);
    const { privateKey } = await decryptEvmKey({ json, password: await passwordOnce(), path });
    return { ...raw, privateKey };
  }
  const keys: ResolvedKeys = { ...raw };
  if (options.walletColdkey === true) {
    if (keys.coldkey === undefined) {
      const text = await read(layout.coldkey, 'coldkey');
      keys.coldkey = (await decryptSubstrateKey({ text, path: layout.coldkey, password: passwordOnce })).suri;
    }
    if (keys.hotkey === undefined) {
      const path = layout.hotkey(hotkeyName);
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text !== undefined) keys.hotkey = await substrateAddressOf({ text, path });
    }
    return keys;
  }
  if (keys.hotkey === undefined) {
    const path = layout.hotkey(hotkeyName);
    const text = await read(path, `hotkey "${hotkeyName}"`);
    const opened = await decryptSubstrateKey({ text, path, password: passwordOnce });
    if (!opened.encrypted)
      parameters.logger.warn('the hotkey file is not encrypted (btcli writes hotkeys in the clear)', {
        path,
      });
    keys.hotkey = opened.suri;
  }
  return keys;
}
