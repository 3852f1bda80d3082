import { walletReasonOf } from '../_test/walletReasonOf.js';
import { decryptEvmKey, encryptEvmKey } from './evmKeystore.js';

// Anvil's and Hardhat's first dev account: a key and address published by both projects.
const privateKey = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const password = 'correct horse battery staple';
const path = 'evm/default.json';

let json: string;

beforeAll(async () => {
  ({ json } = await encryptEvmKey({ privateKey, password }));
});

/** The reason a failing call threw, checked to be a WalletError that names neither the key nor the password. */
const reasonOf = (promise: Promise<unknown>) => walletReasonOf(promise, [privateKey.slice(2), password]);

describe('EVM keystore', () => {
  it('is Web3 secret storage as ethers writes it (scrypt, AES-128-CTR) naming the key’s address, without the key in the clear', () => {
    const data = JSON.parse(json) as {
      version: number;
      address: string;
      Crypto: { cipher: string; kdf: string };
    };
    expect(data.version).toBe(3);
    expect(data.Crypto).toMatchObject({ cipher: 'aes-128-ctr', kdf: 'scrypt' });
    expect(`0x${data.address}`.toLowerCase()).toBe(address.toLowerCase());
    expect(json).not.toContain(privateKey.slice(2));
  });

  it('gives back the key and its address with the password', async () => {
    await expect(decryptEvmKey({ json, password, path })).resolves.toEqual({ privateKey, address });
  });

  it('refuses a wrong password', async () => {
    expect(await reasonOf(decryptEvmKey({ json, password: 'wrong', path }))).toBe('bad-password');
  });

  it('refuses an altered ciphertext and an altered address', async () => {
    const data = JSON.parse(json) as { address: string; Crypto: { ciphertext: string } };
    const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const ciphertext = JSON.stringify({
      ...data,
      Crypto: { ...data.Crypto, ciphertext: flip(data.Crypto.ciphertext) },
    });
    expect(await reasonOf(decryptEvmKey({ json: ciphertext, password, path }))).toBe('bad-password');
    const addressChanged = JSON.stringify({ ...data, address: flip(data.address) });
    expect(await reasonOf(decryptEvmKey({ json: addressChanged, password, path }))).toBe('bad-keystore');
  });

  it('refuses text that is no keystore, and a key that is not 0x + 64 hex', async () => {
    expect(await reasonOf(decryptEvmKey({ json: '{"hello":1}', password, path }))).toBe('bad-keystore');
    expect(await reasonOf(encryptEvmKey({ privateKey: privateKey.slice(0, 40), password }))).toBe(
      'bad-secret',
    );
    expect(await reasonOf(encryptEvmKey({ privateKey: `0x${'0'.repeat(64)}`, password }))).toBe('bad-secret');
  });
});
