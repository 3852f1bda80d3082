import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { walletNamePattern } from '@tessera/core';
import { WalletError } from './walletError.js';

/** The keys a wallet holds: one Bittensor coldkey, Bittensor hotkeys by name, EVM keys by name. */
export type WalletKey = 'coldkey' | 'hotkey' | 'evm';

/** Where wallets live when neither `--wallet-path` nor `TESSERA_WALLET_PATH` says: `~/.tessera/wallets`, read when asked. */
export function defaultWalletRoot(): string {
  return join(homedir(), '.tessera', 'wallets');
}

const namePattern = new RegExp(walletNamePattern);

/** Whether `name` may name a wallet or key (see {@link checkWalletName}). */
export function isWalletName(name: string): boolean {
  return namePattern.test(name);
}

/**
 * Checks a wallet or key name before it becomes part of a path: letters, digits, `_`, `-` and
 * `.`, at most 64, not starting with a dot, so `../x` or `/etc/x` can never leave the wallet.
 *
 * @throws WalletError `bad-name`
 */
export function checkWalletName(parameters: { name: string; what: string }): string {
  const { name, what } = parameters;
  if (!isWalletName(name)) {
    throw new WalletError('bad-name', `The ${what} name "${name.slice(0, 80)}" is not allowed.`, {
      hint: 'Use up to 64 letters, digits, "_", "-" or "." (not first).',
    });
  }
  return name;
}

/**
 * The folders and files of a wallet, laid out as btcli lays out its wallets, with EVM keys
 * beside them: `<root>/<wallet>/coldkey`, `<root>/<wallet>/coldkeypub.txt`,
 * `<root>/<wallet>/hotkeys/<hotkey>` and `<root>/<wallet>/evm/<name>.json`.
 *
 * @example
 * walletLayout({ root: '/home/me/.bittensor/wallets', wallet: 'default' }).hotkey('default')
 */
export function walletLayout(parameters: { root?: string | undefined; wallet: string }) {
  const root = resolve(parameters.root ?? defaultWalletRoot());
  const folder = join(root, checkWalletName({ name: parameters.wallet, what: 'wallet' }));
  return {
    root,
    folder,
    coldkey: join(folder, 'coldkey'),
    coldkeyPub: join(folder, 'coldkeypub.txt'),
    hotkeys: join(folder, 'hotkeys'),
    evmKeys: join(folder, 'evm'),
    hotkey: (name: string) => join(folder, 'hotkeys', checkWalletName({ name, what: 'hotkey' })),
    evm: (name: string) => join(folder, 'evm', `${checkWalletName({ name, what: 'key' })}.json`),
  };
}
