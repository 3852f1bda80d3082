import { Type } from '@sinclair/typebox';
import type { LogLevel } from '../common/logger.js';

/**
 * The EVM chain connection every command on the Tessera contracts takes, to spread into its
 * option schema: `--rpc-url` and `--deployment`.
 *
 * @example
 * const schema = Type.Object({ ...evmConnectionFields, ...hotkeyFields({ role: 'miner' }), ...logFields(), ...minerOptionFields });
 */
export const evmConnectionFields = {
  /** JSON-RPC endpoint of the EVM chain. @default 'http://127.0.0.1:8545' */
  rpcUrl: Type.String({
    description: 'JSON-RPC endpoint of the EVM chain.',
    default: 'http://127.0.0.1:8545',
    placeholder: 'url',
  }),
  /** Deployment JSON of the subnet. @default '.devnet/deployment.json' */
  deployment: Type.String({
    description: 'Deployment JSON written by the deploy script or the devnet.',
    default: '.devnet/deployment.json',
    placeholder: 'path',
  }),
};

/**
 * The required hotkey of a role that signs on the EVM chain (`--private-key`), to spread into
 * its option schema.
 *
 * @param parameters.role - the role named in the help text: "The miner’s hotkey private key".
 * @returns `{ privateKey }`: 0x + 64 hex, secret (never logged or echoed), no default.
 * @example
 * const schema = Type.Object({ ...evmConnectionFields, ...hotkeyFields({ role: 'validator' }) });
 */
export function hotkeyFields(parameters: { role: string }) {
  return {
    /** The role's hotkey, 0x + 64 hex; secret (never logged or echoed). Required. */
    privateKey: Type.String({
      description: `The ${parameters.role}’s hotkey private key, 0x + 64 hex.`,
      pattern: '^0x[0-9a-fA-F]{64}$',
      secret: true,
      placeholder: 'key',
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
