import { NonRetryableReasonError, RetryableReasonError } from '@tessera/errors';
import type { BaseErrorParameters } from '@tessera/errors';

/**
 * Why a chain operation failed for good; sending the same request again cannot help.
 *
 * - `invalid-parameter`: a caller passed a bad window, hash, uri, uid, weight or amount.
 * - `bad-signer`: the signing key (mnemonic, URI, private key) does not parse.
 * - `unsupported-runtime`: the chain lacks a pallet, storage item, call or contract this needs.
 * - `unsupported-operation`: the backend has no such operation (claiming on Bittensor).
 * - `bad-response`: the chain answered with a value of the wrong type or shape.
 * - `not-found`: the block, uid or account asked for does not exist.
 * - `not-registered`: the signing account has no uid on the subnet.
 * - `already-registered`: the account already holds a uid on the subnet.
 * - `too-large`: an encoded commitment exceeds what the chain stores.
 * - `rejected`: the chain refused the transaction (dispatch error, revert, invalid transaction);
 *   `chainCode` carries the chain's own name for it.
 * - `insufficient-funds`: the account cannot pay the fee, burn or stake.
 * - `state-pruned`: the node no longer holds the state of that block (use an archive node).
 */
export type NonRetryableChainReason =
  | 'invalid-parameter'
  | 'bad-signer'
  | 'unsupported-runtime'
  | 'unsupported-operation'
  | 'bad-response'
  | 'not-found'
  | 'not-registered'
  | 'already-registered'
  | 'too-large'
  | 'rejected'
  | 'insufficient-funds'
  | 'state-pruned';

/**
 * Why a chain operation failed for now; a later attempt may succeed.
 *
 * - `connection`: the RPC endpoint refused, dropped or never opened the connection.
 * - `timeout`: the RPC call or the transaction's inclusion ran past its time limit.
 * - `rpc`: the node answered with a transient error (busy, rate limited, 5xx).
 * - `pool`: the transaction pool turned the transaction away for now (priority too low,
 *   stale nonce, a rate limit that lifts with time).
 * - `aborted`: the caller's signal aborted the operation (usually a shutdown).
 */
export type RetryableChainReason = 'connection' | 'timeout' | 'rpc' | 'pool' | 'aborted';

/** Every reason code a {@link ChainError} carries. */
export type ChainReason = NonRetryableChainReason | RetryableChainReason;

/** Parameters shared by both chain error classes. */
export type ChainErrorParameters = BaseErrorParameters & {
  /**
   * The chain's own name for the failure when it gave one: a Substrate module error
   * (`SubtensorModule.HotKeyAlreadyRegisteredInSubNet`) or a Solidity custom error name.
   */
  chainCode?: string | undefined;
};

/**
 * A chain operation that failed for good: bad input, a runtime without the needed pallet,
 * a transaction the chain rejected.
 *
 * @example
 * throw new NonRetryableChainError('rejected', 'The chain rejected set_commitment.', {
 *   chainCode: 'Commitments.SpaceLimitExceeded',
 * });
 */
export class NonRetryableChainError extends NonRetryableReasonError<NonRetryableChainReason> {
  override name = 'NonRetryableChainError';
  /** The chain's own name for the failure, when it gave one. */
  readonly chainCode: string | undefined;

  constructor(reason: NonRetryableChainReason, shortMessage: string, parameters: ChainErrorParameters = {}) {
    super(reason, shortMessage, withChainCode(parameters));
    this.chainCode = parameters.chainCode;
  }
}

/**
 * A chain operation that failed for now: a dropped connection, a timeout, a busy pool.
 *
 * @example
 * throw new RetryableChainError('connection', 'Cannot reach the chain.', { details: 'ws://127.0.0.1:9944' });
 */
export class RetryableChainError extends RetryableReasonError<RetryableChainReason> {
  override name = 'RetryableChainError';
  /** The chain's own name for the failure, when it gave one. */
  readonly chainCode: string | undefined;

  constructor(reason: RetryableChainReason, shortMessage: string, parameters: ChainErrorParameters = {}) {
    super(reason, shortMessage, withChainCode(parameters));
    this.chainCode = parameters.chainCode;
  }
}

/** Either chain error; switch on `reason`, or on `retryable` for the retry policy. */
export type ChainError = NonRetryableChainError | RetryableChainError;

/**
 * True when `error` is a {@link ChainError}.
 *
 * @example
 * if (isChainError(error) && error.reason === 'not-registered') await chain.registerMiner();
 */
export function isChainError(error: unknown): error is ChainError {
  return error instanceof NonRetryableChainError || error instanceof RetryableChainError;
}

function withChainCode(parameters: ChainErrorParameters): BaseErrorParameters {
  const { chainCode, ...rest } = parameters;
  if (chainCode === undefined) return rest;
  return { ...rest, metaMessages: [...(rest.metaMessages ?? []), `Chain code: ${chainCode}`] };
}
