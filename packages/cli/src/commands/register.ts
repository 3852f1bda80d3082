import { Type } from '@sinclair/typebox';
import {
  chainConnectionFields,
  chainUnits,
  coldkeyFields,
  formatChainAmount,
  formatChainAmountWithUnit,
  hotkeyFields,
  logFields,
} from '@tessera/core';
import { amountOf, chainProblems, fundingKeys } from '../connect/chainChecks.js';
import { confirmFields, confirmWrite } from '../connect/confirmPlan.js';
import type { PromptStreams } from '../connect/confirmPlan.js';
import { withChain } from '../connect/openChain.js';
import { exitCodes } from '../exitCodes.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'neuron' }),
  ...coldkeyFields(),
  role: Type.Union([Type.Literal('miner'), Type.Literal('validator')], {
    description: 'Register as a miner (pays the registration burn) or a validator (and stake --stake on it).',
    default: 'miner',
  }),
  stake: Type.String({
    description: `Self stake of a validator, in the chain's unit: ${chainUnits.evm.symbol} (${chainUnits.evm.decimals} decimals) on EVM, ${chainUnits.subtensor.symbol} (${chainUnits.subtensor.decimals} decimals) on subtensor.`,
    default: '1000',
    placeholder: 'amount',
  }),
  ...confirmFields,
  ...logFields(),
});

/**
 * `tessera register` reading its confirmation from `streams` (the process's stdin and stderr by
 * default): takes a uid on the subnet once the plan is confirmed.
 *
 * @example
 * const command = createRegisterCommand({ streams: { input, output } });
 */
export function createRegisterCommand(parameters: { streams?: PromptStreams | undefined } = {}) {
  return defineCommand({
    name: 'register',
    summary: 'Register a hotkey as a miner or a validator.',
    description:
      'Registers the hotkey on the subnet and prints its uid. First prints the plan on stderr (the burn, the stake, the fee estimate, the balance after) and asks "Proceed? [y/N]"; --yes sends without asking (required without a terminal), --dry-run only prints the plan. EVM: the hotkey (--private-key) pays the registration burn in native currency, and a validator stakes --stake TSR from it (approved automatically); the contracts have no coldkey. Subtensor: the coldkey (--coldkey) signs burned_register and pays the burn, and for a validator add_stake of --stake TAO on the hotkey; the hotkey (--hotkey) may be given as its SS58 address, so its secret never has to be on this machine.',
    schema,
    check: (options) =>
      chainProblems({ options, needs: fundingKeys, amounts: options.role === 'validator' ? ['stake'] : [] }),
    run: (options) =>
      withChain({ options, command: 'register' }, async ({ chain }) => {
        const existing = await chain.uidOf();
        if (existing !== undefined) {
          process.stdout.write(
            `${JSON.stringify({ uid: existing, address: chain.address, alreadyRegistered: true })}\n`,
          );
          return exitCodes.ok;
        }
        const stake = amountOf({ chain: options.chain, text: options.stake });
        const shown = formatChainAmountWithUnit({ chain: options.chain, value: stake });
        const validator = options.role === 'validator';
        const stop = await confirmWrite({
          options,
          chain,
          write: validator ? { kind: 'register-validator', stake } : { kind: 'register-miner' },
          title: validator ? `register as a validator with ${shown} of stake` : 'register as a miner',
          rows: [['role', options.role], ...(validator ? [['stake', shown] as const] : [])],
          streams: parameters.streams,
        });
        if (stop !== undefined) return stop;
        const outcome = validator ? await chain.registerValidator({ stake }) : await chain.registerMiner();
        const result =
          outcome.status === 'registered'
            ? {
                uid: outcome.uid,
                address: chain.address,
                role: options.role,
                ...(validator
                  ? {
                      stake: formatChainAmount({ chain: options.chain, value: stake }),
                      unit: chainUnits[options.chain].symbol,
                    }
                  : {}),
                tx: outcome.receipt.hash,
              }
            : { uid: outcome.uid, address: chain.address, alreadyRegistered: true };
        process.stdout.write(`${JSON.stringify(result)}\n`);
        return exitCodes.ok;
      }),
  });
}

/** `tessera register`: takes a uid on the subnet. */
export const registerCommand = createRegisterCommand();
