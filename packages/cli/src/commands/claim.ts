import { Type } from '@sinclair/typebox';
import { chainConnectionFields, chainUnits, formatChainAmount, hotkeyFields, logFields } from '@tessera/core';
import { chainProblems } from '../connect/chainChecks.js';
import { confirmFields, confirmWrite } from '../connect/confirmPlan.js';
import type { PromptStreams } from '../connect/confirmPlan.js';
import { loggerOf } from '../connect/loggerOf.js';
import { closeChain, openChain } from '../connect/openChain.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'neuron' }),
  ...confirmFields,
  ...logFields(),
});

/**
 * `tessera claim` reading its confirmation from `streams` (stdin and stderr by default).
 *
 * @example
 * const command = createClaimCommand({ streams: { input, output } });
 */
export function createClaimCommand(parameters: { streams?: PromptStreams | undefined } = {}) {
  return defineCommand({
    name: 'claim',
    summary: 'Claim credited rewards.',
    description:
      'Prints the claimable and claimed balances of this key, then, when something is claimable, the plan on stderr (the amount, the fee estimate, the balance after) and asks "Proceed? [y/N]" before claiming; --yes claims without asking (required without a terminal), --dry-run only prints. EVM: the account of --private-key, in TSR. Subtensor has nothing to claim (emissions are staked to the hotkey every tempo): it prints the hotkey\'s stake on the subnet as claimable, in TAO, with --dry-run; the hotkey\'s SS58 address is enough.',
    schema,
    check: (options) =>
      chainProblems({ options, needs: { evmKey: true, hotkey: 'account', coldkey: false } }),
    async run(options) {
      const logger = loggerOf(options, { command: 'claim' });
      const opened = await openChain({ ...options, logger });
      const { chain } = opened;
      try {
        const before = await chain.rewards();
        const format = (value: bigint) => formatChainAmount({ chain: options.chain, value });
        const unit = chainUnits[options.chain].symbol;
        const out: Record<string, string> = {
          address: chain.address,
          claimable: format(before.claimable),
          claimed: format(before.claimed),
          unit,
        };
        if (before.claimable > 0n && !(options.dryRun && options.chain === 'subtensor')) {
          const stop = await confirmWrite({
            chainName: options.chain,
            chain,
            write: { kind: 'claim' },
            title: `claim ${format(before.claimable)} ${unit} of rewards`,
            rows: [['claim', `${format(before.claimable)} ${unit}`]],
            yes: options.yes,
            dryRun: options.dryRun,
            streams: parameters.streams,
          });
          if (stop === undefined) out.tx = (await chain.claim()).hash;
          else if (!options.dryRun) return stop;
        }
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return 0;
      } finally {
        await closeChain(opened);
      }
    },
  });
}

/** `tessera claim`: moves credited rewards to the account. */
export const claimCommand = createClaimCommand();
