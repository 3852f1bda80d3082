import { Type } from '@sinclair/typebox';
import {
  BaseError,
  chainConnectionFields,
  chainUnits,
  coldkeyFields,
  formatChainAmount,
  formatChainAmountWithUnit,
  hotkeyFields,
  logFields,
} from '@tessera/core';
import type { ChainName, TxReceipt } from '@tessera/core';
import { amountOf, chainProblems, delegatorKeys, fundingKeys } from '../connect/chainChecks.js';
import { confirmFields, confirmWrite } from '../connect/confirmPlan.js';
import type { PromptStreams } from '../connect/confirmPlan.js';
import { withChain } from '../connect/openChain.js';
import type { OpenedChain } from '../connect/openChain.js';
import { exitCodes } from '../exitCodes.js';
import type { ExitCode } from '../exitCodes.js';
import { defineCommand } from './command.js';

const amount = Type.String({
  description: `Amount in the chain's unit: ${chainUnits.evm.symbol} (${chainUnits.evm.decimals} decimals) on EVM, ${chainUnits.subtensor.symbol} (${chainUnits.subtensor.decimals} decimals, 1 rao = 10⁻⁹ TAO) on subtensor.`,
  placeholder: 'amount',
});
const validatorUid = Type.Integer({ description: 'Uid of the validator.', minimum: 0, maximum: 65535 });

const stakeSchema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'validator' }),
  ...coldkeyFields(),
  amount,
  validatorUid: Type.Optional(validatorUid),
  unstake: Type.Boolean({
    description: 'Withdraw instead of adding (on EVM once the stake is unlocked).',
    default: false,
  }),
  ...confirmFields,
  ...logFields(),
});

/** Prints what a stake command did (the transaction, and the amount in the chain's unit) and returns 0. */
function printReceipt(chain: ChainName, value: bigint, receipt: TxReceipt): ExitCode {
  const printed = {
    tx: receipt.hash,
    block: receipt.block,
    amount: formatChainAmount({ chain, value }),
    unit: chainUnits[chain].symbol,
  };
  process.stdout.write(`${JSON.stringify(printed)}\n`);
  return exitCodes.ok;
}

/**
 * `tessera stake` reading its confirmation from `streams` (stdin and stderr by default).
 *
 * @example
 * const command = createStakeCommand({ streams: { input, output } });
 */
export function createStakeCommand(parameters: { streams?: PromptStreams | undefined } = {}) {
  return defineCommand({
    name: 'stake',
    summary: "Add to or withdraw a validator's stake.",
    description:
      'Adds --amount to the stake of --validator-uid (your own validator when omitted); with --unstake, withdraws it. First prints the plan on stderr (the amount, the fee estimate, the balance after) and asks "Proceed? [y/N]"; --yes sends without asking (required without a terminal), --dry-run only prints the plan. EVM: signed by the hotkey (--private-key), in TSR; withdrawals wait for the stake\'s lock. Subtensor: add_stake / remove_stake signed by the coldkey (--coldkey), in TAO, on the hotkey (--hotkey, its SS58 address is enough) or on --validator-uid\'s hotkey.',
    schema: stakeSchema,
    check: (options) =>
      chainProblems({
        options,
        // With a uid the hotkey is read from the chain; without, it is ours.
        needs: options.validatorUid === undefined ? fundingKeys : { ...fundingKeys, hotkey: 'none' },
        amounts: ['amount'],
      }),
    run: (options) => {
      const value = amountOf({ chain: options.chain, text: options.amount });
      return withChain({ options, command: 'stake' }, async (opened) => {
        const shown = formatChainAmountWithUnit({ chain: options.chain, value });
        const on =
          options.validatorUid === undefined ? 'your own validator' : `validator uid ${options.validatorUid}`;
        const write = {
          kind: options.unstake ? 'unstake' : 'stake',
          amount: value,
          validatorUid: options.validatorUid,
        } as const;
        const stop = await confirmWrite({
          options,
          chain: opened.chain,
          write,
          title: options.unstake ? `withdraw ${shown} of stake from ${on}` : `stake ${shown} on ${on}`,
          rows: [[write.kind, shown]],
          streams: parameters.streams,
        });
        if (stop !== undefined) return stop;
        return printReceipt(options.chain, value, await stakeOrUnstake(opened, write));
      });
    },
  });
}

/** `tessera stake`: adds to (or withdraws) a validator's stake. */
export const stakeCommand = createStakeCommand();

async function stakeOrUnstake(
  opened: OpenedChain,
  write: { kind: 'stake' | 'unstake'; amount: bigint; validatorUid: number | undefined },
): Promise<TxReceipt> {
  const { amount, validatorUid } = write;
  if (opened.kind === 'subtensor') {
    return write.kind === 'unstake'
      ? opened.subtensor.unstake({ amount, validatorUid })
      : opened.subtensor.stake({ amount, validatorUid });
  }
  const { evm } = opened;
  if (write.kind === 'stake') return evm.stake({ amount, validatorUid });
  const uid = validatorUid ?? (await evm.uidOf());
  if (uid === undefined) throw new BaseError('This key has no uid.', { hint: 'Pass --validator-uid.' });
  return evm.unstake({ validatorUid: uid, amount });
}

const delegateSchema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'delegator' }),
  ...coldkeyFields(),
  amount,
  validatorUid,
  ...confirmFields,
  ...logFields(),
});

/**
 * `tessera delegate` reading its confirmation from `streams` (stdin and stderr by default).
 *
 * @example
 * const command = createDelegateCommand({ streams: { input, output } });
 */
export function createDelegateCommand(parameters: { streams?: PromptStreams | undefined } = {}) {
  return defineCommand({
    name: 'delegate',
    summary: 'Delegate stake to a validator.',
    description:
      'Stakes --amount on validator --validator-uid. First prints the plan on stderr (the amount, the fee estimate, the balance after) and asks "Proceed? [y/N]"; --yes sends without asking (required without a terminal), --dry-run only prints the plan. EVM: from the account of --private-key, in TSR; delegators share the validator\'s dividends, after its take, in proportion to their stake. Subtensor: add_stake on the validator\'s hotkey signed by the coldkey (--coldkey), in TAO; no hotkey is needed.',
    schema: delegateSchema,
    check: (options) => chainProblems({ options, needs: delegatorKeys, amounts: ['amount'] }),
    run: (options) => {
      const value = amountOf({ chain: options.chain, text: options.amount });
      return withChain({ options, command: 'delegate' }, async ({ chain }) => {
        const shown = formatChainAmountWithUnit({ chain: options.chain, value });
        const write = { kind: 'delegate', validatorUid: options.validatorUid, amount: value } as const;
        const stop = await confirmWrite({
          options,
          chain,
          write,
          title: `delegate ${shown} to validator uid ${options.validatorUid}`,
          rows: [['delegate', shown]],
          streams: parameters.streams,
        });
        if (stop !== undefined) return stop;
        return printReceipt(options.chain, value, await chain.delegate(write));
      });
    },
  });
}

/** `tessera delegate`: a token holder stakes on a validator and shares its dividends. */
export const delegateCommand = createDelegateCommand();
