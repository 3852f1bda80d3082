import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { ValidatorError } from './errors/validator.js';

/** Parameters of {@link deriveEvalSeed}. */
export type DeriveEvalSeedParameters = {
  /** The validator's own 32 random bytes, never published. */
  secret: Uint8Array;
  /** The window being evaluated. */
  window: number;
  /**
   * Hash of block `deadline(window)`: the first block no commitment for the window can be
   * in, so no miner knew it when it committed.
   */
  deadlineBlockHash: `0x${string}`;
};

/**
 * The seed of a window's evaluation pages (random training pages and held-out pages):
 * `keccak256(secret ‖ deadlineBlockHash ‖ uint256(window))`. The block hash makes it
 * unknowable before every commitment for the window is final; the secret keeps miners (and
 * block producers) from computing it even afterwards, so no one can tune for those pages.
 *
 * @returns `0x` and 64 hex digits.
 * @throws ValidatorError `invalid-parameter` for a secret that is not 32 bytes, a bad hash or window.
 * @example
 * const evalSeed = deriveEvalSeed({ secret, window: 12, deadlineBlockHash: await chain.blockHash(deadline) });
 */
export function deriveEvalSeed(parameters: DeriveEvalSeedParameters): `0x${string}` {
  const { secret, window, deadlineBlockHash } = parameters;
  if (!(secret instanceof Uint8Array) || secret.length !== 32) {
    throw new ValidatorError('invalid-parameter', 'The evaluation secret must be 32 bytes.', {
      details: secret instanceof Uint8Array ? `${secret.length} bytes` : typeof secret,
    });
  }
  if (!Number.isSafeInteger(window) || window < 0) {
    throw new ValidatorError('invalid-parameter', 'window must be a non-negative integer.', {
      details: `window: ${String(window)}`,
    });
  }
  if (typeof deadlineBlockHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(deadlineBlockHash)) {
    throw new ValidatorError('invalid-parameter', 'deadlineBlockHash must be 0x and 64 hex digits.', {
      details: String(deadlineBlockHash),
    });
  }
  const input = new Uint8Array(96);
  input.set(secret, 0);
  input.set(hexToBytes(deadlineBlockHash.slice(2)), 32);
  new DataView(input.buffer).setBigUint64(88, BigInt(window));
  return `0x${bytesToHex(keccak_256(input))}`;
}
