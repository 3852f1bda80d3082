import { checkChainOptions, parseChainAmount } from '@tessera/core';
import type { ChainKeyNeeds, ChainName, ChainOptions, OptionProblem } from '@tessera/core';
import { walletProblems } from '../wallet/walletProblems.js';

/** A role on its own box (miner, validator): the hotkey signs; no coldkey is taken. */
export const roleKeys: ChainKeyNeeds = { evmKey: true, hotkey: 'sign', coldkey: false };

/**
 * Registration and self stake: on EVM the hotkey (`--private-key`) registers and stakes itself;
 * on subtensor the coldkey signs and the hotkey is named by its address or secret.
 */
export const fundingKeys: ChainKeyNeeds = { evmKey: true, hotkey: 'account', coldkey: true };

/** Delegation: on EVM the token holder's `--private-key`; on subtensor the coldkey alone. */
export const delegatorKeys: ChainKeyNeeds = { evmKey: true, hotkey: 'none', coldkey: true };

/**
 * The chain rules of {@link checkChainOptions} (with `--wallet`, those of `walletProblems`), plus each named amount field parsed in the
 * unit of the chain `--chain` names (TSR with 18 decimals on EVM, TAO with 9 on subtensor).
 *
 * @example
 * check: (options) => chainProblems({ options, needs: fundingKeys, amounts: ['stake'] }),
 */
export function chainProblems<O extends ChainOptions & { wallet?: string | undefined }>(parameters: {
  options: O;
  needs: ChainKeyNeeds;
  amounts?: readonly (keyof O & string)[] | undefined;
}): OptionProblem[] {
  const { options } = parameters;
  const problems =
    options.wallet === undefined
      ? checkChainOptions({ options, needs: parameters.needs })
      : walletProblems({ options });
  for (const field of parameters.amounts ?? []) {
    const text = options[field];
    if (typeof text !== 'string') continue;
    const parsed = parseChainAmount({ chain: options.chain, text });
    if (!parsed.ok) problems.push({ field, problem: parsed.problem });
  }
  return problems;
}

/**
 * An amount option in base units of `chain` (wei, rao). The command's `check` has parsed it
 * already; this throws only if it did not.
 */
export function amountOf(parameters: { chain: ChainName; text: string }): bigint {
  const parsed = parseChainAmount(parameters);
  if (!parsed.ok) throw new Error(`unchecked amount: ${parsed.problem}`);
  return parsed.value;
}
