import { Type } from '@sinclair/typebox';
import { parseUnits } from 'ethers';
import { connectionFields } from '../connect/connectionSchema.js';
import { loggerOf } from '../connect/loggerOf.js';
import { openChain } from '../connect/openChain.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...connectionFields,
  role: Type.Union([Type.Literal('miner'), Type.Literal('validator')], {
    description: 'Register as a miner (pays the registration burn) or a validator (stakes).',
    default: 'miner',
  }),
  stake: Type.String({
    description: 'Self stake of a validator, in whole tokens (decimals allowed).',
    default: '1000',
    pattern: '^[0-9]+(\\.[0-9]{1,18})?$',
    placeholder: 'tokens',
  }),
});

/** `tessera register`: takes a uid on the subnet. */
export const registerCommand = defineCommand({
  name: 'register',
  summary: 'Register this key as a miner or a validator.',
  description:
    'Registers the hotkey on the subnet. A miner pays the registration burn in native currency; a validator stakes reward tokens (approved automatically). Prints the uid.',
  schema,
  async run(options) {
    const logger = loggerOf(options, { command: 'register' });
    const { chain } = await openChain({ ...options, logger });
    const existing = await chain.uidOf();
    if (existing !== undefined) {
      process.stdout.write(
        `${JSON.stringify({ uid: existing, address: chain.address, alreadyRegistered: true })}\n`,
      );
      return 0;
    }
    const outcome =
      options.role === 'miner'
        ? await chain.registerMiner()
        : await chain.registerValidator({ stake: parseUnits(options.stake, 18) });
    const result =
      outcome.status === 'registered'
        ? { uid: outcome.uid, address: chain.address, role: options.role, tx: outcome.receipt.hash }
        : { uid: outcome.uid, address: chain.address, alreadyRegistered: true };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
});
