import { walletReasonOf } from '../_test/walletReasonOf.js';
import { decryptSubstrateKey, encryptSubstrateKey, substrateAddressOf } from './substrateKeystore.js';

// Substrate's development phrase, its mini-secret seed and addresses, as `subkey inspect` prints them.
const devPhrase = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';
const devSeed = '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e';
const devAddress = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';
const aliceAddress = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const password = 'correct horse battery staple';
const path = 'hotkeys/default';
const asked = (value: string) => () => Promise.resolve(value);
const never = () => Promise.reject(new Error('the password was asked for'));

/** The reason a failing call threw, checked to be a WalletError that names no secret. */
const reasonOf = (promise: Promise<unknown>) => walletReasonOf(promise, ['obey lake', password]);

/** The dev key's public half, as btcli's `coldkeypub.txt` holds it. */
const devPublic = {
  accountId: '0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a',
  publicKey: '0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a',
  privateKey: null,
  secretPhrase: null,
  secretSeed: null,
  ss58Address: devAddress,
};

/** A hotkey file as btcli writes it: plain JSON with the secret in the clear. */
function btcliKeyfile(fields: Record<string, string | null>): string {
  return JSON.stringify({ ...devPublic, ...fields });
}

describe('Bittensor keystore', () => {
  let json: string;
  beforeAll(async () => {
    const encrypted = await encryptSubstrateKey({ suri: devPhrase, password });
    json = encrypted.json;
    expect(encrypted.pub).toEqual(devPublic);
  });

  it('keeps no secret in the clear and names its address', async () => {
    expect(json).not.toContain('obey');
    expect(await substrateAddressOf({ text: json, path })).toBe(devAddress);
  });

  it('gives back the secret URI with the password', async () => {
    await expect(decryptSubstrateKey({ text: json, path, password: asked(password) })).resolves.toEqual({
      suri: devPhrase,
      address: devAddress,
      encrypted: true,
    });
  });

  it('keeps a derivation path and a dev URI', async () => {
    const alice = await encryptSubstrateKey({ suri: '//Alice', password });
    expect(alice.pub.ss58Address).toBe(aliceAddress);
    const opened = await decryptSubstrateKey({ text: alice.json, path, password: asked(password) });
    expect(opened).toMatchObject({ suri: '//Alice', address: aliceAddress });
    const derived = await encryptSubstrateKey({ suri: `${devPhrase}//Alice`, password });
    expect(derived.pub.ss58Address).toBe(aliceAddress);
  });

  it('refuses a wrong password', async () => {
    expect(await reasonOf(decryptSubstrateKey({ text: json, path, password: asked('wrong') }))).toBe(
      'bad-password',
    );
  });

  it('refuses an altered ciphertext and an altered address', async () => {
    const data = JSON.parse(json) as { encoded: string; address: string; suri: { encoded: string } };
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const encoded = JSON.stringify({ ...data, encoded: flip(data.encoded, 80) });
    expect(await reasonOf(decryptSubstrateKey({ text: encoded, path, password: asked(password) }))).toBe(
      'bad-password',
    );
    const suri = JSON.stringify({ ...data, suri: { ...data.suri, encoded: flip(data.suri.encoded, 80) } });
    expect(await reasonOf(decryptSubstrateKey({ text: suri, path, password: asked(password) }))).toBe(
      'bad-password',
    );
    const address = JSON.stringify({ ...data, address: aliceAddress });
    expect(await reasonOf(decryptSubstrateKey({ text: address, path, password: asked(password) }))).toBe(
      'bad-keystore',
    );
  });

  it('reads btcli’s plaintext hotkeys without asking for a password', async () => {
    const both = btcliKeyfile({ secretPhrase: devPhrase, secretSeed: devSeed });
    await expect(decryptSubstrateKey({ text: both, path, password: never })).resolves.toMatchObject({
      address: devAddress,
      encrypted: false,
    });
    const seedOnly = btcliKeyfile({ secretSeed: devSeed });
    await expect(decryptSubstrateKey({ text: seedOnly, path, password: never })).resolves.toEqual({
      suri: devSeed,
      address: devAddress,
      encrypted: false,
    });
    const phraseOnly = btcliKeyfile({ secretPhrase: devPhrase });
    await expect(decryptSubstrateKey({ text: phraseOnly, path, password: never })).resolves.toEqual({
      suri: devPhrase,
      address: devAddress,
      encrypted: false,
    });
    expect(await substrateAddressOf({ text: both, path })).toBe(devAddress);
  });

  it('refuses a btcli file whose address is not its key’s, one with no secret, and btcli’s encrypted coldkeys', async () => {
    const wrong = btcliKeyfile({ secretSeed: devSeed, ss58Address: aliceAddress });
    expect(await reasonOf(decryptSubstrateKey({ text: wrong, path, password: never }))).toBe('bad-keystore');
    expect(await reasonOf(decryptSubstrateKey({ text: btcliKeyfile({}), path, password: never }))).toBe(
      'bad-keystore',
    );
    expect(await reasonOf(decryptSubstrateKey({ text: '$NACLabcdef', path, password: never }))).toBe(
      'unsupported-keystore',
    );
    expect(await reasonOf(decryptSubstrateKey({ text: 'not json', path, password: never }))).toBe(
      'bad-keystore',
    );
  });

  it('refuses a secret that is no mnemonic, seed or secret URI', async () => {
    expect(await reasonOf(encryptSubstrateKey({ suri: 'bottom drive obey lake', password }))).toBe(
      'bad-secret',
    );
    expect(await reasonOf(encryptSubstrateKey({ suri: '0x1234', password }))).toBe('bad-secret');
  });
});
