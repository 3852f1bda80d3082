import { Type } from '@sinclair/typebox';
import type { LogLevel } from '../common/logger.js';

/**
 * The EVM chain connection every command on the Tessera contracts takes, to spread into its
 * option schema: `--rpc-url` and `--deployment`. Part of {@link chainConnectionFields}, which
 * every command that talks to a chain takes.
 *
 * @example
 * const schema = Type.Object({ ...evmConnectionFields, ...logFields() });
 */
export const evmConnectionFields = {
  /** JSON-RPC endpoint of the EVM chain. @default 'http://127.0.0.1:8545' */
  rpcUrl: Type.String({
    description: 'JSON-RPC endpoint of the EVM chain (--chain evm).',
    default: 'http://127.0.0.1:8545',
    placeholder: 'url',
  }),
  /** Deployment JSON of the subnet. @default '.devnet/deployment.json' */
  deployment: Type.String({
    description: 'Deployment JSON written by the deploy script or the devnet (--chain evm).',
    default: '.devnet/deployment.json',
    placeholder: 'path',
  }),
};

/**
 * The one set of chain connection fields every command that talks to a chain takes, to spread
 * into its option schema: `--chain evm|subtensor`, the EVM endpoint and deployment, and the
 * subtensor endpoint and subnet. `--netuid` has no default: it is required on subtensor, which
 * `checkChainOptions` reports with the other cross-field rules. Keys are separate:
 * {@link hotkeyFields} and {@link coldkeyFields}.
 *
 * @example
 * const schema = Type.Object({ ...chainConnectionFields, ...hotkeyFields({ role: 'miner' }), ...logFields() });
 */
export const chainConnectionFields = {
  /** Which backend: Tessera's contracts on an EVM chain, or a Bittensor subnet. @default 'evm' */
  chain: Type.Union([Type.Literal('evm'), Type.Literal('subtensor')], {
    description: 'Chain backend: evm (Tessera contracts on an EVM chain) or subtensor (a Bittensor subnet).',
    default: 'evm',
  }),
  ...evmConnectionFields,
  /** WebSocket endpoint of the subtensor node. @default 'ws://127.0.0.1:9944' */
  ws: Type.String({
    description: 'WebSocket endpoint of the subtensor node (--chain subtensor).',
    default: 'ws://127.0.0.1:9944',
    pattern: '^wss?://\\S+$',
    placeholder: 'url',
  }),
  /** The Bittensor subnet id; required with `--chain subtensor`, no default. */
  netuid: Type.Optional(
    Type.Integer({
      description: 'Bittensor subnet id; required with --chain subtensor.',
      minimum: 0,
      maximum: 65535,
    }),
  ),
};

/**
 * The hotkey of a role, to spread into its option schema: the key on the mining or validating
 * box that signs commitments, aggregates and weights. One field per chain's key format, both
 * optional in the schema; `checkChainOptions` requires the one `--chain` names.
 *
 * - `privateKey` (`--private-key`, `TESSERA_PRIVATE_KEY`): EVM, 0x + 64 hex.
 * - `hotkey` (`--hotkey`, `TESSERA_HOTKEY`): subtensor, a BIP-39 mnemonic, a 0x-hex seed or a
 *   secret URI (`//Alice`, `<mnemonic>//hot/0`); for commands only the coldkey signs
 *   (register, stake) an SS58 address is enough.
 *
 * Both are secret: never logged or echoed.
 *
 * @param parameters.role - the role named in the help text: "The miner’s hotkey".
 * @example
 * const schema = Type.Object({ ...chainConnectionFields, ...hotkeyFields({ role: 'validator' }) });
 */
export function hotkeyFields(parameters: { role: string }) {
  return {
    /** EVM hotkey, 0x + 64 hex; secret. Required with `--chain evm`. */
    privateKey: Type.Optional(
      Type.String({
        description: `The ${parameters.role}’s hotkey private key, 0x + 64 hex (--chain evm).`,
        pattern: '^0x[0-9a-fA-F]{64}$',
        secret: true,
        placeholder: 'key',
      }),
    ),
    /** Subtensor hotkey: mnemonic, 0x seed or secret URI (or an SS58 address where only the coldkey signs); secret. */
    hotkey: Type.Optional(
      Type.String({
        description: `The ${parameters.role}’s hotkey on subtensor: a mnemonic, 0x seed or secret URI such as //Alice (--chain subtensor).`,
        minLength: 1,
        secret: true,
        placeholder: 'suri',
      }),
    ),
    ...walletFields,
  };
}

/** The names a wallet, hotkey or EVM key may have: they become file names, so no `/` and no leading dot. */
export const walletNamePattern = '^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$';

/**
 * Where a command finds its keys in an encrypted wallet instead of raw secrets, spread in by
 * {@link hotkeyFields}: `--wallet NAME` (a folder laid out as btcli's: `coldkey`,
 * `coldkeypub.txt`, `hotkeys/<name>`, and EVM keys in `evm/<name>.json`), `--hotkey-name`,
 * `--wallet-path` and `--password-file`. The password may instead come from
 * `TESSERA_WALLET_PASSWORD` or a prompt on a terminal; it is never a flag, which `ps` would
 * show. None of these is a secret.
 *
 * @example
 * const schema = Type.Object({ ...walletFields, ...logFields() });
 */
export const walletFields = {
  /** Wallet whose encrypted keys sign, instead of `--private-key`, `--hotkey` and `--coldkey`. */
  wallet: Type.Optional(
    Type.String({
      description:
        'Wallet (a folder under --wallet-path) whose encrypted keys sign, instead of a raw --private-key, --hotkey or --coldkey.',
      pattern: walletNamePattern,
      placeholder: 'name',
    }),
  ),
  /** The hotkey (subtensor) or EVM key in the wallet. @default 'default' */
  hotkeyName: Type.String({
    description: 'With --wallet: the hotkey in it (hotkeys/<name> on subtensor, evm/<name>.json on EVM).',
    default: 'default',
    pattern: walletNamePattern,
    placeholder: 'name',
  }),
  /** Folder holding the wallets. @default '~/.tessera/wallets' */
  walletPath: Type.Optional(
    Type.String({
      description:
        'Folder holding the wallets (default ~/.tessera/wallets; btcli keeps its own in ~/.bittensor/wallets).',
      minLength: 1,
      placeholder: 'path',
    }),
  ),
  /** File whose first line is the wallet password. @default TESSERA_WALLET_PASSWORD, else a prompt on a terminal */
  passwordFile: Type.Optional(
    Type.String({
      description:
        'File whose first line is the wallet password; else TESSERA_WALLET_PASSWORD, else a prompt on a terminal.',
      minLength: 1,
      placeholder: 'path',
    }),
  ),
};

/**
 * The coldkey, to spread into the schema of the commands that move funds: register, stake,
 * delegate. On subtensor it signs `burned_register` (paying the burn), `add_stake` and
 * `remove_stake`, and owns the stake; the hotkey never needs to be on the same machine. The
 * Tessera contracts have no owner/hotkey split (they register and stake `msg.sender`), so on EVM
 * `checkChainOptions` refuses a coldkey instead of ignoring it. Secret.
 *
 * @example
 * const schema = Type.Object({ ...chainConnectionFields, ...hotkeyFields({ role: 'neuron' }), ...coldkeyFields() });
 */
export function coldkeyFields() {
  return {
    /** Subtensor coldkey: mnemonic, 0x seed or secret URI; secret. */
    coldkey: Type.Optional(
      Type.String({
        description:
          'The coldkey that pays registration and owns stake on subtensor: a mnemonic, 0x seed or secret URI (--chain subtensor; the EVM contracts have none).',
        minLength: 1,
        secret: true,
        placeholder: 'suri',
      }),
    ),
    /** With `--wallet` on subtensor, the wallet's coldkey signs. @default true */
    walletColdkey: Type.Boolean({
      description:
        'With --wallet on subtensor: the wallet’s coldkey signs and the hotkey is named by its address; --no-wallet-coldkey: the wallet’s hotkey signs as its own coldkey (a localnet).',
      default: true,
    }),
  };
}

/**
 * `--log-level` and `--log-format`, which every command takes, to spread into its option
 * schema.
 *
 * @param parameters.logLevel - the default level. @default 'info'
 * @returns `{ logLevel, logFormat }` (`logFormat` defaults to `pretty`).
 * @example
 * const schema = Type.Object({ ...devnetFields, ...logFields({ logLevel: 'warn' }) });
 */
export function logFields(parameters: { logLevel?: LogLevel } = {}) {
  return {
    /** Lowest log level written to stderr. @default 'info' */
    logLevel: Type.Union(
      [
        Type.Literal('debug'),
        Type.Literal('info'),
        Type.Literal('warn'),
        Type.Literal('error'),
        Type.Literal('silent'),
      ],
      { description: 'Lowest log level written to stderr.', default: parameters.logLevel ?? 'info' },
    ),
    /** Log lines as short text or one JSON object each. @default 'pretty' */
    logFormat: Type.Union([Type.Literal('pretty'), Type.Literal('json')], {
      description: 'Log lines as short text or one JSON object each.',
      default: 'pretty',
    }),
  };
}
