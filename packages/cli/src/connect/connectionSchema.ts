import { Type } from '@sinclair/typebox';

/** Options every command that talks to a chain takes. */
export const connectionFields = {
  chain: Type.Union([Type.Literal('evm'), Type.Literal('subtensor')], {
    description: 'Chain backend: Tessera contracts on an EVM chain, or a Bittensor subnet.',
    default: 'evm',
  }),
  rpcUrl: Type.String({
    description: 'JSON-RPC endpoint of the EVM chain.',
    default: 'http://127.0.0.1:8545',
    placeholder: 'url',
  }),
  deployment: Type.String({
    description: 'Deployment JSON written by the deploy script or the devnet (EVM).',
    default: '.devnet/deployment.json',
    placeholder: 'path',
  }),
  privateKey: Type.Optional(
    Type.String({
      description: 'Hotkey private key, 0x + 64 hex (EVM), or a mnemonic / secret URI (subtensor).',
      secret: true,
      placeholder: 'key',
    }),
  ),
  ws: Type.String({
    description: 'WebSocket endpoint of the subtensor node.',
    default: 'ws://127.0.0.1:9944',
    placeholder: 'url',
  }),
  netuid: Type.Integer({
    description: 'Bittensor subnet id (subtensor).',
    minimum: 0,
    maximum: 65535,
    default: 1,
  }),
  logLevel: Type.Union(
    [
      Type.Literal('debug'),
      Type.Literal('info'),
      Type.Literal('warn'),
      Type.Literal('error'),
      Type.Literal('silent'),
    ],
    { description: 'Lowest log level written to stderr.', default: 'info' },
  ),
  logFormat: Type.Union([Type.Literal('pretty'), Type.Literal('json')], {
    description: 'Log lines as short text or one JSON object each.',
    default: 'pretty',
  }),
};
