import { isSubstrateSecret } from './isSubstrateSecret.js';

const mnemonic = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

describe('isSubstrateSecret', () => {
  it.each([
    '//Alice',
    '  //Bob  ',
    mnemonic,
    `${mnemonic}//hot/0`,
    `0x${'ab'.repeat(32)}`,
    `0x${'ab'.repeat(32)}//hot`,
  ])('accepts %s', (suri) => {
    expect(isSubstrateSecret({ suri })).toBe(true);
  });

  it.each([
    '',
    '//',
    'alice',
    `0x${'ab'.repeat(31)}`,
    mnemonic.replace('walk', 'walks'),
    '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  ])('refuses %p, which the keyring would turn into some other key', (suri) => {
    expect(isSubstrateSecret({ suri })).toBe(false);
  });
});
