import { AbiCoder, getAddress, isAddress, isHexString, keccak256 } from 'ethers';
import { NonRetryableChainError } from '../../errors/chain.js';
import type { Hex32 } from '../types.js';

/** Parameters of {@link evmWeightCommitHash}. */
export type EvmWeightCommitHashParameters = {
  /** The validator's hotkey: the account that commits and reveals. */
  validator: string;
  /** The epoch the commit is for (the epoch of the block it lands in). */
  epoch: number;
  /** Exactly as they will be revealed: order and length matter. */
  uids: readonly number[];
  /** Raw u16 weights, one per uid. */
  weights: readonly number[];
  /** 32 random bytes, 0x-hex, kept secret until the reveal. */
  salt: string;
};

const coder = AbiCoder.defaultAbiCoder();

/**
 * The hash the Subnet's `commitWeights` takes and `revealWeights` recomputes:
 * `keccak256(abi.encode(address validator, uint64 epoch, uint16[] uids, uint16[] weights, bytes32 salt))`.
 *
 * @returns The 0x-prefixed hash.
 * @throws NonRetryableChainError `invalid-parameter` on a bad address, epoch, u16 value or salt.
 * @example
 * const hash = evmWeightCommitHash({ validator, epoch: 7, uids: [3, 5], weights: [65535, 100], salt });
 * await subnet.commitWeights(hash);
 */
export function evmWeightCommitHash(parameters: EvmWeightCommitHashParameters): Hex32 {
  const { validator, epoch, uids, weights, salt } = parameters;
  if (typeof validator !== 'string' || !isAddress(validator))
    throw invalid('validator must be a 20-byte 0x address.', String(validator));
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw invalid('epoch must be a non-negative integer.', String(epoch));
  if (typeof salt !== 'string' || !isHexString(salt, 32))
    throw invalid('salt must be 32 bytes of 0x-hex.', String(salt));
  for (const [name, list] of [
    ['uids', uids],
    ['weights', weights],
  ] as const) {
    if (!Array.isArray(list) || !list.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff))
      throw invalid(`${name} must be a list of u16 values.`, String(list));
  }
  return keccak256(
    coder.encode(
      ['address', 'uint64', 'uint16[]', 'uint16[]', 'bytes32'],
      [getAddress(validator), epoch, uids, weights, salt],
    ),
  ) as Hex32;
}

function invalid(message: string, details: string): NonRetryableChainError {
  return new NonRetryableChainError('invalid-parameter', message, { details: details.slice(0, 120) });
}
