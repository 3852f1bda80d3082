import { checkChainOptions } from '@tessera/core';
import type { ChainOptions, OptionProblem } from '@tessera/core';

/**
 * The key rules when `--wallet` gives the keys: raw keys beside it are refused (which key
 * signs would be unclear), and the connection rules hold as without (`--netuid` on
 * subtensor). Whether the wallet holds the keys is known only when it is opened.
 *
 * @returns Every problem found, empty when the options are usable.
 * @example
 * const problems = options.wallet === undefined ? checkChainOptions({ options, needs }) : walletProblems({ options });
 */
export function walletProblems(parameters: { options: ChainOptions }): OptionProblem[] {
  const { options } = parameters;
  const problems = checkChainOptions({
    options: { chain: options.chain, netuid: options.netuid },
    needs: { evmKey: false, hotkey: 'none', coldkey: false },
  });
  for (const field of ['privateKey', 'hotkey', 'coldkey'] as const) {
    if (options[field] !== undefined)
      problems.push({
        field,
        problem:
          'is a raw key, and --wallet gives the keys: pass one or the other (--hotkey-name names a hotkey in the wallet)',
      });
  }
  return problems;
}
