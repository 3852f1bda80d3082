import { join, resolve } from 'node:path';
import { checkWalletName, walletLayout } from './walletLayout.js';
import { WalletError } from './walletError.js';

describe('wallet names', () => {
  it.each(['default', 'miner-1', 'ops_2026.v2', 'a', 'x'.repeat(64), '-dash'])('allows %p', (name) => {
    expect(checkWalletName({ name, what: 'wallet' })).toBe(name);
  });

  it.each([
    '',
    '.',
    '..',
    '../x',
    '../../etc/passwd',
    '/etc/x',
    'a/b',
    'a\\b',
    '.hidden',
    'x'.repeat(65),
    'a b',
    'a\0b',
    'é',
  ])('refuses %p, which could leave the wallet folder or hide in it', (name) => {
    expect(() => checkWalletName({ name, what: 'hotkey' })).toThrow(WalletError);
  });

  it('keeps every path of a wallet inside its folder, laid out as btcli lays it out', () => {
    const layout = walletLayout({ root: '/w', wallet: 'ops' });
    expect(layout).toMatchObject({
      root: resolve('/w'),
      folder: join(resolve('/w'), 'ops'),
      coldkey: join(resolve('/w'), 'ops', 'coldkey'),
      coldkeyPub: join(resolve('/w'), 'ops', 'coldkeypub.txt'),
    });
    expect(layout.hotkey('default')).toBe(join(resolve('/w'), 'ops', 'hotkeys', 'default'));
    expect(layout.evm('default')).toBe(join(resolve('/w'), 'ops', 'evm', 'default.json'));
    expect(() => layout.hotkey('../coldkey')).toThrow(WalletError);
    expect(() => layout.evm('../../x')).toThrow(WalletError);
    expect(() => walletLayout({ root: '/w', wallet: '..' })).toThrow(WalletError);
  });
});
