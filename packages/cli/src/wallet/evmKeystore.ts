import { Wallet, isKeystoreJson } from 'ethers';
import { WalletError } from './walletError.js';

const privateKeyPattern = /^0x[0-9a-fA-F]{64}$/;

/**
 * Encrypts an EVM private key as Web3 secret-storage JSON (scrypt and AES-128-CTR, version 3),
 * the keystore geth, MetaMask exports and ethers read.
 *
 * @returns The keystore JSON and the key's address.
 * @throws WalletError `bad-secret` when the key is not 0x + 64 hex or not a valid secp256k1 key.
 * @example
 * const { json, address } = await encryptEvmKey({ privateKey, password });
 */
export async function encryptEvmKey(parameters: {
  privateKey: string;
  password: string;
}): Promise<{ json: string; address: string }> {
  const privateKey = parameters.privateKey.trim();
  if (!privateKeyPattern.test(privateKey)) {
    throw new WalletError('bad-secret', 'The EVM private key is not 0x + 64 hex.', {
      hint: 'Give the key as 0x followed by 64 hex digits.',
    });
  }
  let wallet: Wallet;
  try {
    wallet = new Wallet(privateKey);
  } catch (error) {
    throw new WalletError('bad-secret', 'The EVM private key is not a valid secp256k1 key.', {
      cause: error,
    });
  }
  return { json: await wallet.encrypt(parameters.password), address: wallet.address };
}

/**
 * Decrypts Web3 secret-storage JSON written by {@link encryptEvmKey}, geth or MetaMask.
 *
 * @param parameters.path - named in errors only.
 * @returns The private key (0x + 64 hex) and its address.
 * @throws WalletError `bad-keystore` when the text is no keystore or its address does not match
 *   its key; `bad-password` when the password is wrong or the ciphertext was altered (the MAC
 *   cannot tell them apart).
 * @example
 * const { privateKey } = await decryptEvmKey({ json, password, path });
 */
export async function decryptEvmKey(parameters: {
  json: string;
  password: string;
  path: string;
}): Promise<{ privateKey: string; address: string }> {
  const { json, path } = parameters;
  if (!isKeystoreJson(json)) {
    throw new WalletError('bad-keystore', `${path} is not Web3 secret-storage JSON.`, {
      hint: 'Write it with `tessera wallet create` or `tessera wallet import`, or give the key another way.',
    });
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, parameters.password);
    return { privateKey: wallet.privateKey, address: wallet.address };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/incorrect password/i.test(message)) {
      throw new WalletError('bad-password', `Wrong password for ${path}, or the file was altered.`, {
        hint: 'Check --password-file or TESSERA_WALLET_PASSWORD; a keystore whose ciphertext or MAC changed cannot be opened.',
      });
    }
    throw new WalletError('bad-keystore', `${path} could not be decrypted: it looks altered or damaged.`, {
      details: message.slice(0, 200),
      cause: error,
    });
  }
}
