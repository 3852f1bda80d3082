import { HDNodeWallet, Mnemonic } from 'ethers';

/** The mnemonic anvil (and hardhat) fund their dev accounts from; public, for local chains only. */
export const devMnemonic = 'test test test test test test test test test test test junk';

/**
 * The private keys of anvil's first `count` dev accounts.
 *
 * @example
 * const [deployer, validator, ...miners] = devAccountKeys({ count: 5 });
 */
export function devAccountKeys(parameters: { count: number }): `0x${string}`[] {
  const mnemonic = Mnemonic.fromPhrase(devMnemonic);
  return Array.from({ length: parameters.count }, (_, i) => {
    const wallet = HDNodeWallet.fromMnemonic(mnemonic, `m/44'/60'/0'/0/${i}`);
    return wallet.privateKey as `0x${string}`;
  });
}
