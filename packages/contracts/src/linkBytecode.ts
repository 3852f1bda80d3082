import { getAddress, isAddress } from 'ethers';
import { DeployError } from './errors.js';

/** Library placeholders of a bytecode, as solc reports them: file → library → byte ranges. */
export type LinkReferences = Readonly<
  Record<string, Readonly<Record<string, readonly { readonly start: number; readonly length: number }[]>>>
>;

/** Parameters of {@link linkBytecode}. */
export type LinkBytecodeParameters = {
  /** Creation bytecode with placeholders, 0x-prefixed. */
  bytecode: string;
  linkReferences: LinkReferences;
  /** Deployed address of each library, keyed `file:Library` (e.g. `SubnetSettlement.sol:SubnetSettlement`). */
  libraries: Readonly<Record<string, string>>;
};

/**
 * Writes library addresses into a bytecode's placeholders.
 *
 * @returns The linked bytecode, ready to deploy.
 * @throws DeployError when a library has no address or the address is malformed.
 * @example
 * const linked = linkBytecode({ bytecode: subnetBytecode, linkReferences: subnetLinkReferences,
 *   libraries: { 'SubnetSettlement.sol:SubnetSettlement': settlementAddress } });
 */
export function linkBytecode(parameters: LinkBytecodeParameters): `0x${string}` {
  let hex = parameters.bytecode.replace(/^0x/, '');
  for (const [file, libraries] of Object.entries(parameters.linkReferences)) {
    for (const [library, ranges] of Object.entries(libraries)) {
      const key = `${file}:${library}`;
      const address = parameters.libraries[key];
      if (address === undefined || !isAddress(address)) {
        throw new DeployError(`No address to link library ${key}.`, { details: String(address) });
      }
      const body = getAddress(address).slice(2).toLowerCase();
      for (const { start, length } of ranges) {
        if (length !== 20)
          throw new DeployError(`Unexpected placeholder length for ${key}.`, { details: String(length) });
        hex = hex.slice(0, start * 2) + body + hex.slice((start + length) * 2);
      }
    }
  }
  if (hex.includes('__$')) throw new DeployError('Bytecode still has unlinked library placeholders.');
  return `0x${hex}`;
}
