import { Keyring } from '@polkadot/keyring';
import type { KeyringPair$Json } from '@polkadot/keyring/types';
import { stringToU8a, u8aToString } from '@polkadot/util';
import { cryptoWaitReady, jsonDecrypt, jsonEncrypt } from '@polkadot/util-crypto';
import type { EncryptedJson } from '@polkadot/util-crypto/types';
import { isSubstrateSecret } from '@tessera/core';
import { WalletError } from './walletError.js';

/** Generic Substrate SS58 prefix, as btcli writes addresses. */
const ss58Format = 42;

/**
 * A Bittensor keystore as this CLI writes it: the polkadot keyring's JSON of the pair
 * (`pair.toJson(password)`, which polkadot.js apps and the extension import), plus `suri`, the
 * secret URI the pair came from, encrypted the same way (scrypt, xsalsa20-poly1305) under the
 * same password, because the chain client signs from a secret URI and a pkcs8 secret key
 * cannot be turned back into one.
 */
export type SubstrateKeystore = KeyringPair$Json & { suri?: EncryptedJson | undefined };

/**
 * The public half of a key, as btcli's `coldkeypub.txt` holds it: its key file's fields, the
 * secret ones null.
 */
export type SubstratePublic = {
  accountId: string;
  publicKey: string;
  privateKey: null;
  secretPhrase: null;
  secretSeed: null;
  ss58Address: string;
};

/** Whether `suri` is a key this project signs with: a mnemonic or 0x seed (with a path), or a `//Dev` URI. */
function checkSuri(suri: string): string {
  const trimmed = suri.trim();
  if (!isSubstrateSecret({ suri: trimmed })) {
    throw new WalletError('bad-secret', 'The secret is not a valid mnemonic, seed or secret URI.', {
      hint: 'Give a BIP-39 mnemonic or a 0x-hex 32-byte seed, optionally with a derivation path (//hot/0), or a dev URI such as //Alice.',
    });
  }
  return trimmed;
}

async function keyring(): Promise<Keyring> {
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519', ss58Format });
}

function publicOf(pair: { publicKey: Uint8Array; address: string }): SubstratePublic {
  const hex = `0x${Buffer.from(pair.publicKey).toString('hex')}`;
  return {
    accountId: hex,
    publicKey: hex,
    privateKey: null,
    secretPhrase: null,
    secretSeed: null,
    ss58Address: pair.address,
  };
}

/**
 * Encrypts a Bittensor (sr25519) key from its secret URI as a {@link SubstrateKeystore}.
 *
 * @returns The keystore JSON text and the key's public half (for `coldkeypub.txt`).
 * @throws WalletError `bad-secret` when the secret is no mnemonic, seed or secret URI.
 * @example
 * const { json, pub } = await encryptSubstrateKey({ suri: mnemonic, password });
 */
export async function encryptSubstrateKey(parameters: {
  suri: string;
  password: string;
}): Promise<{ json: string; pub: SubstratePublic }> {
  const suri = checkSuri(parameters.suri);
  const ring = await keyring();
  let pair;
  try {
    pair = ring.addFromUri(suri);
  } catch (error) {
    throw new WalletError('bad-secret', 'The secret could not be turned into a key.', {
      details: error instanceof Error ? error.message.split(suri).join('<secret>') : undefined,
    });
  }
  const keystore: SubstrateKeystore = {
    ...pair.toJson(parameters.password),
    suri: jsonEncrypt(stringToU8a(suri), ['suri'], parameters.password),
  };
  return { json: `${JSON.stringify(keystore, null, 2)}\n`, pub: publicOf(pair) };
}

/** btcli's plaintext key file (its hotkeys, and a coldkey written unencrypted). */
type BtcliKeyfile = { secretPhrase?: unknown; secretSeed?: unknown; ss58Address?: unknown };

/**
 * Reads a Bittensor key file: a {@link SubstrateKeystore} (decrypted with `password`, which
 * `password()` is asked for only then), or btcli's plaintext JSON (its hotkeys: `secretSeed`,
 * `secretPhrase`). btcli's encrypted coldkeys (`$NACL`, Ansible vault) are refused with a hint.
 *
 * @param parameters.path - named in errors only.
 * @returns The secret URI to sign with, its SS58 address, and whether the file was encrypted.
 * @throws WalletError `bad-password` (wrong password, or the ciphertext was altered),
 *   `bad-keystore` (not a key file, or its address does not match its key),
 *   `unsupported-keystore`.
 * @example
 * const { suri } = await decryptSubstrateKey({ text, path, password: () => readPassword(…) });
 */
export async function decryptSubstrateKey(parameters: {
  text: string;
  path: string;
  password: () => Promise<string>;
}): Promise<{ suri: string; address: string; encrypted: boolean }> {
  const { text, path } = parameters;
  if (text.startsWith('$NACL') || text.startsWith('$ANSIBLE_VAULT')) {
    throw new WalletError(
      'unsupported-keystore',
      `${path} is a btcli-encrypted key, which this CLI cannot open.`,
      {
        hint: 'Import the key from its mnemonic: `tessera wallet import --key coldkey --secret-file <file>` (or the mnemonic on stdin).',
      },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new WalletError('bad-keystore', `${path} is not a key file (JSON expected).`);
  }
  const ring = await keyring();
  const record = data as Record<string, unknown>;
  if ('encoded' in record && 'encoding' in record) {
    const keystore = record as unknown as SubstrateKeystore;
    if (keystore.suri === undefined) {
      throw new WalletError('unsupported-keystore', `${path} holds a pkcs8 key without its secret URI.`, {
        hint: 'Import the key from its mnemonic or seed with `tessera wallet import`.',
      });
    }
    const password = await parameters.password();
    let pair;
    try {
      pair = ring.addFromJson(keystore);
    } catch (error) {
      throw new WalletError('bad-keystore', `${path} is not a polkadot keyring JSON.`, { cause: error });
    }
    let suri: string;
    try {
      pair.decodePkcs8(password);
      suri = u8aToString(jsonDecrypt(keystore.suri, password));
    } catch (error) {
      throw new WalletError('bad-password', `Wrong password for ${path}, or the file was altered.`, {
        hint: 'Check --password-file or TESSERA_WALLET_PASSWORD; a keystore whose ciphertext changed cannot be opened.',
        cause: error,
      });
    }
    return { suri, address: checkAddress({ ring, suri, address: keystore.address, path }), encrypted: true };
  }
  const btcli = record as BtcliKeyfile;
  const secret =
    typeof btcli.secretSeed === 'string'
      ? btcli.secretSeed
      : typeof btcli.secretPhrase === 'string'
        ? btcli.secretPhrase
        : undefined;
  if (secret === undefined) {
    throw new WalletError(
      'bad-keystore',
      `${path} holds neither a keystore nor btcli's secretSeed or secretPhrase.`,
    );
  }
  const suri = checkSuri(secret);
  const address = ring.addFromUri(suri).address;
  if (typeof btcli.ss58Address === 'string') checkAddress({ ring, suri, address: btcli.ss58Address, path });
  return { suri, address, encrypted: false };
}

/** The key's own address, after checking the file's stated address is it. */
function checkAddress(parameters: { ring: Keyring; suri: string; address: string; path: string }): string {
  const own = parameters.ring.addFromUri(parameters.suri).address;
  const stated = parameters.ring.encodeAddress(parameters.ring.decodeAddress(parameters.address));
  if (own !== stated) {
    throw new WalletError(
      'bad-keystore',
      `${parameters.path} names an address its key does not have: the file was altered.`,
    );
  }
  return own;
}

/**
 * The SS58 address a Bittensor key file names, read without a password: the keystore's
 * `address`, btcli's `ss58Address`, or `coldkeypub.txt`'s. Not checked against the secret.
 *
 * @throws WalletError `bad-keystore` when the file names none.
 */
export async function substrateAddressOf(parameters: { text: string; path: string }): Promise<string> {
  let data: unknown;
  try {
    data = JSON.parse(parameters.text);
  } catch {
    data = undefined;
  }
  const record = (data ?? {}) as Record<string, unknown>;
  const address = typeof record.address === 'string' ? record.address : record.ss58Address;
  if (typeof address !== 'string') {
    throw new WalletError('bad-keystore', `${parameters.path} names no address.`);
  }
  const ring = await keyring();
  try {
    return ring.encodeAddress(ring.decodeAddress(address));
  } catch (error) {
    throw new WalletError('bad-keystore', `${parameters.path} names an invalid address.`, { cause: error });
  }
}
