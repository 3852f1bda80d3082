import { Type } from '@sinclair/typebox';
import { parseUnits } from 'ethers';
import { BaseError } from '@tessera/core';
import { connectionFields } from '../connect/connectionSchema.js';
import { loggerOf } from '../connect/loggerOf.js';
import { openChain } from '../connect/openChain.js';
import { defineCommand } from './command.js';

const amount = Type.String({
  description: 'Amount in whole tokens (decimals allowed).',
  pattern: '^[0-9]+(\\.[0-9]{1,18})?$',
  placeholder: 'tokens',
});
const validatorUid = Type.Integer({ description: 'Uid of the validator.', minimum: 0, maximum: 65535 });

const stakeSchema = Type.Object({
  ...connectionFields,
  amount,
  validatorUid: Type.Optional(validatorUid),
  unstake: Type.Boolean({
    description: 'Withdraw instead of adding (once the stake is unlocked).',
    default: false,
  }),
});

/** `tessera stake`: adds to (or withdraws) a validator's own stake. */
export const stakeCommand = defineCommand({
  name: 'stake',
  summary: "Add to or withdraw a validator's stake.",
  description:
    "Adds `--amount` tokens to the stake of `--validator-uid` (your own validator when omitted). With --unstake, withdraws them once the stake's lock has passed.",
  schema: stakeSchema,
  async run(options) {
    const logger = loggerOf(options, { command: 'stake' });
    const { evm } = await openChain({ ...options, logger });
    if (!evm)
      throw new BaseError('Staking through the CLI is for the EVM backend.', {
        hint: 'On Bittensor use btcli stake add.',
      });
    const value = parseUnits(options.amount, 18);
    const receipt = options.unstake
      ? await evm.unstake({
          validatorUid: options.validatorUid ?? (await requireUid(evm.uidOf())),
          amount: value,
        })
      : await evm.stake({ amount: value, validatorUid: options.validatorUid });
    process.stdout.write(`${JSON.stringify({ tx: receipt.hash, block: receipt.block })}\n`);
    await evm.disconnect();
    return 0;
  },
});

async function requireUid(uid: Promise<number | undefined>): Promise<number> {
  const value = await uid;
  if (value === undefined) throw new BaseError('This key has no uid.', { hint: 'Pass --validator-uid.' });
  return value;
}

const delegateSchema = Type.Object({ ...connectionFields, amount, validatorUid });

/** `tessera delegate`: a token holder stakes on a validator and shares its dividends. */
export const delegateCommand = defineCommand({
  name: 'delegate',
  summary: 'Delegate tokens to a validator.',
  description:
    "Stakes `--amount` tokens on validator `--validator-uid`. Delegators share the validator's dividends, after its take, in proportion to their stake.",
  schema: delegateSchema,
  async run(options) {
    const logger = loggerOf(options, { command: 'delegate' });
    const { chain } = await openChain({ ...options, logger });
    const receipt = await chain.delegate({
      validatorUid: options.validatorUid,
      amount: parseUnits(options.amount, 18),
    });
    process.stdout.write(`${JSON.stringify({ tx: receipt.hash, block: receipt.block })}\n`);
    return 0;
  },
});
