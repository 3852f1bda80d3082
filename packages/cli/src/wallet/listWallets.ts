import { readFile, readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { getAddress } from 'ethers';
import { substrateAddressOf } from './substrateKeystore.js';
import { defaultWalletRoot, isWalletName, walletLayout } from './walletLayout.js';
import type { WalletKey } from './walletLayout.js';

/** One key of a wallet as a listing shows it: public facts only. */
export type ListedKey = {
  key: WalletKey;
  /** `coldkey`, or the hotkey's or EVM key's name. */
  name: string;
  /** The address the file names (read without a password), undefined when it names none. */
  address: string | undefined;
  /** Whether the secret in it is encrypted; false for btcli's plaintext hotkeys. */
  encrypted: boolean;
  path: string;
};

/** One wallet folder and its keys. */
export type ListedWallet = { wallet: string; folder: string; keys: ListedKey[] };

/**
 * The wallets under `root` (or just `wallet`) and their keys, with the addresses their files
 * name: read without a password and without decrypting anything, so a listing never needs
 * or shows a secret. Names a wallet could not be opened by (hidden files, odd characters) are
 * skipped.
 *
 * @example
 * for (const { wallet, keys } of await listWallets({ root })) console.log(wallet, keys.length);
 */
export async function listWallets(parameters: {
  root?: string | undefined;
  wallet?: string | undefined;
}): Promise<ListedWallet[]> {
  const root = resolve(parameters.root ?? defaultWalletRoot());
  const names = parameters.wallet === undefined ? await entries(root) : [parameters.wallet];
  const wallets: ListedWallet[] = [];
  for (const wallet of names) {
    const layout = walletLayout({ root, wallet });
    const keys: ListedKey[] = [];
    const coldkey = await readKey({
      key: 'coldkey',
      name: 'coldkey',
      path: layout.coldkey,
      publicPath: layout.coldkeyPub,
    });
    if (coldkey !== undefined) keys.push(coldkey);
    for (const name of await entries(layout.hotkeys)) {
      const listed = await readKey({ key: 'hotkey', name, path: layout.hotkey(name) });
      if (listed !== undefined) keys.push(listed);
    }
    for (const file of await entries(layout.evmKeys)) {
      const name = file.replace(/\.json$/, '');
      if (name === file || !isWalletName(name)) continue;
      const listed = await readKey({ key: 'evm', name, path: layout.evm(name) });
      if (listed !== undefined) keys.push(listed);
    }
    if (parameters.wallet !== undefined || keys.length > 0)
      wallets.push({ wallet, folder: layout.folder, keys });
  }
  return wallets;
}

/** The names in a folder a wallet or key may have, sorted; none when it is missing. */
async function entries(folder: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return names.filter((name) => isWalletName(name)).sort();
}

/**
 * One key file's public facts, undefined when the file is missing. Only the address a file
 * names is read: Web3 keystores' `address`, polkadot keyring JSON's `address`, btcli's
 * `ss58Address`, a coldkey's `coldkeypub.txt`.
 *
 * @example
 * const listed = await readKey({ key: 'evm', name: 'default', path: layout.evm('default') });
 */
export async function readKey(parameters: {
  key: WalletKey;
  name: string;
  path: string;
  /** A coldkey's `coldkeypub.txt`, whose address wins (btcli's encrypted coldkey names none). */
  publicPath?: string | undefined;
}): Promise<ListedKey | undefined> {
  const { key, name, path } = parameters;
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let record: Record<string, unknown> = {};
  try {
    const data: unknown = JSON.parse(text);
    if (data !== null && typeof data === 'object') record = data as Record<string, unknown>;
  } catch {
    // btcli's encrypted coldkey ($NACL …) is no JSON; its address is in coldkeypub.txt.
  }
  const encrypted = typeof record.secretPhrase !== 'string' && typeof record.secretSeed !== 'string';
  let address: string | undefined;
  if (key === 'evm') {
    try {
      address =
        typeof record.address === 'string'
          ? getAddress(`0x${record.address.replace(/^0x/i, '')}`)
          : undefined;
    } catch {
      address = undefined;
    }
  } else {
    const pub =
      parameters.publicPath === undefined
        ? undefined
        : await readFile(parameters.publicPath, 'utf8').catch(() => undefined);
    address =
      (pub === undefined
        ? undefined
        : await substrateAddressOf({ text: pub, path }).catch(() => undefined)) ??
      (await substrateAddressOf({ text, path }).catch(() => undefined));
  }
  return { key, name, address, encrypted, path };
}
