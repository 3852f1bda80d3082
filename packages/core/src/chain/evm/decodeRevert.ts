import { subnetAbi, tokenAbi } from '@tessera/contracts';
import { Interface, isHexString } from 'ethers';

/** A revert decoded from its return data. */
export type DecodedRevert = {
  /** The custom error's name (`Subnet__LateCommit`, `ERC20InsufficientBalance`), `Error` or `Panic`. */
  name: string;
  /** Arguments by name, as strings (bigints in decimal). */
  args: Record<string, string>;
  /** One line for messages: `Subnet__LateCommit(window=3, deadline=45)`. */
  text: string;
};

// ethers knows Error(string) and Panic(uint256) itself, with unnamed arguments.
const BUILTIN_ARGUMENT: Record<string, string> = { Error: 'message', Panic: 'code' };

const errorInterface = new Interface([
  ...subnetAbi.filter((entry) => entry.type === 'error'),
  ...tokenAbi.filter((entry) => entry.type === 'error'),
]);

/**
 * Finds revert data in whatever ethers threw (`error.data`, `error.info.error.data`, nested
 * `error.error.data`) and decodes it against the custom errors of the Subnet (its settlement
 * library included) and the reward token, plus Solidity's `Error(string)` and `Panic(uint256)`.
 *
 * @returns The decoded revert, or undefined when the error carries no revert data this ABI knows.
 * @example
 * const revert = decodeRevert(error); // { name: 'Subnet__LateCommit', args: { window: '3', deadline: '45' }, ... }
 */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  const data = findRevertData(error);
  if (data === undefined) return undefined;
  let parsed;
  try {
    parsed = errorInterface.parseError(data);
  } catch {
    return undefined;
  }
  if (!parsed) return undefined;
  const args: Record<string, string> = {};
  parsed.fragment.inputs.forEach((input, i) => {
    args[input.name || BUILTIN_ARGUMENT[parsed.name] || `arg${i}`] = String(parsed.args[i]);
  });
  const text = `${parsed.name}(${Object.entries(args)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ')})`;
  return { name: parsed.name, args, text };
}

/** The first 0x-hex `data` of at least a selector found in the error or its nested records. */
function findRevertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): string | undefined => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 6) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    const data = record.data;
    if (typeof data === 'string' && isHexString(data) && data.length >= 10) return data;
    for (const key of ['error', 'info', 'cause', 'data']) {
      const found = visit(record[key], depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error, 0);
}
