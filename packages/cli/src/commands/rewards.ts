import { Type } from '@sinclair/typebox';
import {
  chainConnectionFields,
  chainUnits,
  checkChainOptions,
  formatChainAmount,
  logFields,
  parseSubstrateAddress,
} from '@tessera/core';
import type { Address, ChainName, OptionProblem } from '@tessera/core';
import { getAddress } from 'ethers';
import { withChain } from '../connect/openChain.js';
import { formatFields } from '../format/table.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';

/** Reads need no key: no hotkey, no coldkey, on either chain. */
export const readOnlyKeys = { evmKey: false, hotkey: 'none', coldkey: false } as const;

/** `--address`: the account a read-only command looks at. */
export function addressField(parameters: { description: string }) {
  return Type.String({ description: parameters.description, minLength: 1, placeholder: 'address' });
}

/** `--json`: one JSON document on stdout instead of the table. */
export const jsonField = Type.Boolean({
  description: 'Print one JSON document on stdout instead of a table.',
  default: false,
});

const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const SUBSTRATE_HEX = /^0x[0-9a-fA-F]{64}$/;
const SS58 = /^[1-9A-HJ-NP-Za-km-z]{46,48}$/;

/**
 * What is wrong with an account given on the command line for `chain`, if anything: on EVM 0x
 * and 40 hex digits, mixed case only with a valid EIP-55 checksum; on subtensor an SS58 address
 * or 0x and 64 hex digits (the SS58 checksum is checked by {@link resolveAddress}).
 *
 * @example
 * addressProblem({ chain: 'evm', text: '0x12' }); // 'is not an EVM address: …'
 */
export function addressProblem(parameters: { chain: ChainName; text: string }): string | undefined {
  const { chain, text } = parameters;
  if (chain === 'evm') {
    if (!EVM_ADDRESS.test(text)) return 'is not an EVM address: 0x and 40 hex digits';
    if (text.slice(2) !== text.slice(2).toLowerCase() && text.slice(2) !== text.slice(2).toUpperCase()) {
      try {
        getAddress(text);
      } catch {
        return 'has a wrong EIP-55 checksum (its mixed case does not match): check for a typo, or write it in lowercase';
      }
    }
    return undefined;
  }
  if (EVM_ADDRESS.test(text))
    return 'is a 20-byte EVM address; a Bittensor account is an SS58 address (5…) or 0x and 64 hex digits';
  if (!SUBSTRATE_HEX.test(text) && !SS58.test(text))
    return 'is not a Substrate account: an SS58 address (5…) or 0x and 64 hex digits';
  return undefined;
}

/**
 * The chain's own spelling of an account {@link addressProblem} accepted: checksummed on EVM,
 * `0x` and 64 lowercase hex digits on subtensor; or the problem, when an SS58 address fails its
 * checksum (which only the Substrate codec, loaded on demand, can tell).
 *
 * @example
 * const resolved = await resolveAddress({ chain: 'evm', text: options.address });
 * if ('problem' in resolved) return addressUsageError({ command: 'rewards', problem: resolved.problem });
 */
export async function resolveAddress(parameters: {
  chain: ChainName;
  text: string;
}): Promise<{ address: Address } | { problem: string }> {
  if (parameters.chain === 'evm') return { address: getAddress(parameters.text) as Address };
  try {
    return { address: await parseSubstrateAddress(parameters.text) };
  } catch {
    return { problem: 'is not a Substrate account (its SS58 checksum does not match): check for a typo' };
  }
}

/** Writes a bad `--address` as the usage error a bad flag gives, and returns its exit code, 2. */
export function addressUsageError(parameters: { command: string; problem: string }): number {
  process.stderr.write(
    `Invalid configuration: 1 problem.\n  --address: ${parameters.problem}\n\nRun "tessera ${parameters.command} --help" for its flags.\n`,
  );
  return exitCodes.usage;
}

const schema = Type.Object({
  ...chainConnectionFields,
  address: addressField({
    description:
      'The account to read: on EVM its 0x address, on subtensor the hotkey as SS58 or 0x + 64 hex.',
  }),
  json: jsonField,
  ...logFields({ logLevel: 'warn' }),
});

/** `tessera rewards`: an account's rewards, read without any key. */
export const rewardsCommand = defineCommand({
  name: 'rewards',
  summary: 'Show the claimable and claimed rewards of an address.',
  description:
    'Reads the rewards of --address; no key is needed. EVM: what the Subnet contract credited to the account and has not paid out yet (claimable, claim it with `tessera claim`) and what it paid out so far (claimed), in TSR. Subtensor has nothing to claim (emissions are staked to the hotkey every tempo): claimable is the hotkey’s stake on the subnet, in TAO, and claimed is 0. Prints a short table, or with --json one JSON object: address, claimable, claimed, unit.',
  schema,
  check: (options): OptionProblem[] => {
    const problems = checkChainOptions({ options, needs: readOnlyKeys });
    const problem = addressProblem({ chain: options.chain, text: options.address });
    if (problem !== undefined) problems.push({ field: 'address', problem });
    return problems;
  },
  async run(options) {
    const resolved = await resolveAddress({ chain: options.chain, text: options.address });
    if ('problem' in resolved) return addressUsageError({ command: 'rewards', problem: resolved.problem });
    const { address } = resolved;
    return withChain({ options, command: 'rewards' }, async (opened) => {
      const rewards = await opened.chain.rewards({ address });
      const format = (value: bigint) => formatChainAmount({ chain: options.chain, value });
      const unit = chainUnits[options.chain].symbol;
      const result = {
        address,
        claimable: format(rewards.claimable),
        claimed: format(rewards.claimed),
        unit,
      };
      process.stdout.write(
        options.json
          ? `${JSON.stringify(result)}\n`
          : formatFields([
              ['address', address],
              ['claimable', `${result.claimable} ${unit}`],
              ['claimed', `${result.claimed} ${unit}`],
            ]),
      );
      return exitCodes.ok;
    });
  },
});
