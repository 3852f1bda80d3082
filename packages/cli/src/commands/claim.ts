import { Type } from '@sinclair/typebox';
import { chainConnectionFields, chainUnits, formatChainAmount, hotkeyFields, logFields } from '@tessera/core';
import { chainProblems } from '../connect/chainChecks.js';
import { loggerOf } from '../connect/loggerOf.js';
import { closeChain, openChain } from '../connect/openChain.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'neuron' }),
  dryRun: Type.Boolean({ description: 'Only print the claimable balance.', default: false }),
  ...logFields(),
});

/** `tessera claim`: moves credited rewards to the account. */
export const claimCommand = defineCommand({
  name: 'claim',
  summary: 'Claim credited rewards.',
  description:
    "Prints the claimable and claimed balances of this key, then claims what is claimable (unless --dry-run). EVM: the account of --private-key, in TSR. Subtensor has nothing to claim (emissions are staked to the hotkey every tempo): it prints the hotkey's stake on the subnet as claimable, in TAO, with --dry-run; the hotkey's SS58 address is enough.",
  schema,
  check: (options) => chainProblems({ options, needs: { evmKey: true, hotkey: 'account', coldkey: false } }),
  async run(options) {
    const logger = loggerOf(options, { command: 'claim' });
    const opened = await openChain({ ...options, logger });
    const { chain } = opened;
    try {
      const before = await chain.rewards();
      const format = (value: bigint) => formatChainAmount({ chain: options.chain, value });
      const out: Record<string, string> = {
        address: chain.address,
        claimable: format(before.claimable),
        claimed: format(before.claimed),
        unit: chainUnits[options.chain].symbol,
      };
      if (!options.dryRun && before.claimable > 0n) out.tx = (await chain.claim()).hash;
      process.stdout.write(`${JSON.stringify(out)}\n`);
      return 0;
    } finally {
      await closeChain(opened);
    }
  },
});
