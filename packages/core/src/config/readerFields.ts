import { Type } from '@sinclair/typebox';

/**
 * How a role reads the URIs other participants commit (miners' updates, aggregate members,
 * checkpoints), to spread into its option schema; read by `createReaderRouter`.
 *
 * The defaults are a public network's: nobody's commitment can point this role at a file
 * on its disk (`file://` URIs are read only under its own store folder) or at an address
 * inside its network (loopback, private, link-local, unique-local). The devnet, all on one
 * machine, turns both off for itself; a subnet whose hosts share a private network turns
 * `blockPrivateAddresses` off.
 *
 * @example
 * const schema = Type.Object({ ...storeFields({ defaultDir: '.tessera/updates' }), ...readerFields() });
 */
export function readerFields() {
  return {
    /**
     * Read `file://` URIs anywhere on this machine: right only when every participant runs
     * on it. Off, only files under the role's own store folder are read. @default false
     */
    readFileUris: Type.Boolean({
      description:
        'Read file:// URIs anywhere on this machine (every participant on one machine); off, only under --store-dir.',
      default: false,
    }),
    /**
     * Refuse HTTP URIs whose host resolves to a loopback, private, link-local or unique-local
     * address (checked on every connection, redirects included). Turn off only on a private
     * network whose hosts all take part. @default true
     */
    blockPrivateAddresses: Type.Boolean({
      description:
        'Refuse URIs on loopback, private or link-local addresses; --no-block-private-addresses on a private network of participants.',
      default: true,
    }),
  };
}
