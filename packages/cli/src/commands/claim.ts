import { Type } from '@sinclair/typebox';
import { formatUnits } from 'ethers';
import { connectionFields } from '../connect/connectionSchema.js';
import { loggerOf } from '../connect/loggerOf.js';
import { openChain } from '../connect/openChain.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...connectionFields,
  dryRun: Type.Boolean({ description: 'Only print the claimable balance.', default: false }),
});

/** `tessera claim`: moves credited rewards to the account. */
export const claimCommand = defineCommand({
  name: 'claim',
  summary: 'Claim credited rewards.',
  description:
    'Prints the claimable and claimed balances of this key, then claims what is claimable (unless --dry-run).',
  schema,
  async run(options) {
    const logger = loggerOf(options, { command: 'claim' });
    const { chain } = await openChain({ ...options, logger });
    const before = await chain.rewards();
    const out: Record<string, string> = {
      address: chain.address,
      claimable: formatUnits(before.claimable, 18),
      claimed: formatUnits(before.claimed, 18),
    };
    if (!options.dryRun && before.claimable > 0n) out.tx = (await chain.claim()).hash;
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return 0;
  },
});
