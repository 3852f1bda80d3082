import { Type } from '@sinclair/typebox';
import { evmConnectionFields, logFields } from '@tessera/core';

/** Options every command that talks to a chain takes. */
export const connectionFields = {
  chain: Type.Union([Type.Literal('evm'), Type.Literal('subtensor')], {
    description: 'Chain backend: Tessera contracts on an EVM chain, or a Bittensor subnet.',
    default: 'evm',
  }),
  ...evmConnectionFields,
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
  ...logFields(),
};
