import { isHex } from '@polkadot/util';
import { keyExtractSuri, mnemonicValidate } from '@polkadot/util-crypto';

/**
 * Whether `suri` is a Substrate secret Tessera signs with: a BIP-39 mnemonic or a 0x-hex
 * 32-byte seed, either with an optional derivation path (`//hot/0`), or a dev URI (`//Alice`).
 * The keyring itself turns any short string into a seed, so a typo would sign as a stranger's
 * key; callers refuse what this does not recognise. Surrounding white space is ignored.
 *
 * @example
 * isSubstrateSecret({ suri: '//Alice' }); // true
 * isSubstrateSecret({ suri: 'alice' }); // false
 */
export function isSubstrateSecret(parameters: { suri: string }): boolean {
  const trimmed = parameters.suri.trim();
  if (trimmed.startsWith('//')) return trimmed.length > 2;
  try {
    const { phrase } = keyExtractSuri(trimmed);
    return isHex(phrase, 256) || mnemonicValidate(phrase);
  } catch {
    return false;
  }
}
