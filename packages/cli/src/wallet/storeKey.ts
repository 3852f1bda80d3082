import { access } from 'node:fs/promises';
import { encryptEvmKey } from './evmKeystore.js';
import { encryptSubstrateKey } from './substrateKeystore.js';
import { WalletError } from './walletError.js';
import { walletLayout } from './walletLayout.js';
import type { WalletKey } from './walletLayout.js';
import { writeKeyFile } from './writeKeyFile.js';

/** What {@link storeKey} wrote: the key's public address and its file. */
export type StoredKey = { key: WalletKey; name: string; address: string; path: string };

/**
 * Encrypts a secret under `password` and writes it into a wallet as btcli lays wallets out:
 * a coldkey as `coldkey` (and its public half as `coldkeypub.txt`, as btcli writes it), a
 * hotkey as `hotkeys/<name>`, an EVM key as `evm/<name>.json`. Existing keys are kept unless
 * `force` is set.
 *
 * @param parameters.secret - a mnemonic, 0x seed or secret URI (coldkey, hotkey), or a 0x
 *   private key (EVM).
 * @param parameters.name - the hotkey's or EVM key's name; a wallet has one coldkey.
 * @throws WalletError `bad-name`, `bad-secret`, or `exists` when the key is there already.
 * @example
 * const { address } = await storeKey({ wallet: 'ops', key: 'evm', name: 'default', secret, password });
 */
export async function storeKey(parameters: {
  root?: string | undefined;
  wallet: string;
  key: WalletKey;
  name: string;
  secret: string;
  password: string;
  force?: boolean | undefined;
}): Promise<StoredKey> {
  const { key, name, secret, password, force } = parameters;
  const layout = walletLayout(parameters);
  if (key === 'evm') {
    const path = layout.evm(name);
    const { json, address } = await encryptEvmKey({ privateKey: secret, password });
    await writeKeyFile({ path, text: `${json}\n`, force });
    return { key, name, address, path };
  }
  const path = key === 'coldkey' ? layout.coldkey : layout.hotkey(name);
  if (key === 'coldkey' && !force && (await exists(layout.coldkeyPub))) {
    // A coldkeypub.txt without its coldkey (kept on another machine) names a key this one would not be.
    throw new WalletError('exists', `${layout.coldkeyPub} exists already.`, {
      hint: 'Pass --force to replace the coldkey (the old one is lost unless you have a copy), or choose another --wallet.',
    });
  }
  const { json, pub } = await encryptSubstrateKey({ suri: secret, password });
  await writeKeyFile({ path, text: json, force });
  if (key === 'coldkey') {
    await writeKeyFile({ path: layout.coldkeyPub, text: JSON.stringify(pub), force: true });
  }
  return { key, name: key === 'coldkey' ? 'coldkey' : name, address: pub.ss58Address, path };
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
