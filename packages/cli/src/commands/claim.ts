import { Type } from '@sinclair/typebox';
import {
  chainConnectionFields,
  chainUnits,
  formatChainAmount,
  formatChainAmountWithUnit,
  hotkeyFields,
  logFields,
} from '@tessera/core';
import { chainProblems } from '../connect/chainChecks.js';
import { confirmFields, confirmWrite } from '../connect/confirmPlan.js';
import type { PromptStreams } from '../connect/confirmPlan.js';
import { withChain } from '../connect/openChain.js';
import { exitCodes } from '../exitCodes.js';
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
    run: (options) =>
      withChain({ options, command: 'claim' }, async ({ chain }) => {
        const before = await chain.rewards();
        const format = (value: bigint) => formatChainAmount({ chain: options.chain, value });
        const out: Record<string, string> = {
          address: chain.address,
          claimable: format(before.claimable),
          claimed: format(before.claimed),
          unit: chainUnits[options.chain].symbol,
        };
        if (before.claimable > 0n && !(options.dryRun && options.chain === 'subtensor')) {
          const shown = formatChainAmountWithUnit({ chain: options.chain, value: before.claimable });
          const stop = await confirmWrite({
            options,
            chain,
            write: { kind: 'claim' },
            title: `claim ${shown} of rewards`,
            rows: [['claim', shown]],
            streams: parameters.streams,
          });
          if (stop === undefined) out.tx = (await chain.claim()).hash;
          else if (!options.dryRun) return stop;
        }
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return exitCodes.ok;
      }),
  });
}

/** `tessera claim`: moves credited rewards to the account. */
export const claimCommand = createClaimCommand();
