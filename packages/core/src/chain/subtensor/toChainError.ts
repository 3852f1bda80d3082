import { NonRetryableChainError, RetryableChainError, isChainError } from '../../errors/chain.js';
import type { ChainError } from '../../errors/chain.js';

/** A dispatch error as @polkadot/api reports it, reduced to what we classify. */
export type DispatchFailure = {
  /** `Section.Name` for a module error (`SubtensorModule.HotKeyAlreadyRegisteredInSubNet`), else the variant (`BadOrigin`, `Token.FundsUnavailable`). */
  code: string;
  /** The module error's documentation, when the metadata has it. */
  docs?: string | undefined;
};

const INSUFFICIENT =
  /NotEnoughBalance|InsufficientBalance|BalanceLow|FundsUnavailable|InsufficientLiquidity|NotEnoughStake/;
const ALREADY_REGISTERED = /HotKeyAlreadyRegisteredInSubNet|AlreadyRegistered/;
const NOT_REGISTERED = /NotRegistered|AccountNotAllowedCommit|CannotCommit|HotKeyAccountNotExists/;
// Limits that lift with time: the same call succeeds later.
const RATE_LIMITED =
  /TooFast|RateLimit|SpaceLimitExceeded|TooManyRegistrationsThis|RevealTooEarly|TooManyUnrevealedCommits|TxRateLimitExceeded/;

/**
 * Classifies a failed dispatch (the transaction was included but did nothing).
 *
 * @example
 * throw dispatchFailureToChainError({ code: 'SubtensorModule.SettingWeightsTooFast' }, 'set_weights');
 */
export function dispatchFailureToChainError(failure: DispatchFailure, action: string): ChainError {
  const message = `The chain rejected ${action}: ${failure.code}.`;
  const parameters = { chainCode: failure.code, details: failure.docs || undefined };
  if (RATE_LIMITED.test(failure.code)) {
    return new RetryableChainError('pool', message, {
      ...parameters,
      hint: 'A chain rate limit; the same call succeeds later.',
    });
  }
  if (INSUFFICIENT.test(failure.code))
    return new NonRetryableChainError('insufficient-funds', message, parameters);
  if (ALREADY_REGISTERED.test(failure.code))
    return new NonRetryableChainError('already-registered', message, parameters);
  if (NOT_REGISTERED.test(failure.code)) {
    return new NonRetryableChainError('not-registered', message, {
      ...parameters,
      hint: 'Register the hotkey on the subnet first.',
    });
  }
  return new NonRetryableChainError('rejected', message, parameters);
}

/**
 * Turns whatever @polkadot/api or the WebSocket threw into a {@link ChainError} with a reason
 * code: connection faults, timeouts and pool rejections are retryable; invalid transactions,
 * pruned state and malformed replies are not. A ChainError passes through unchanged.
 *
 * @example
 * try { await api.rpc.chain.getHeader(); } catch (error) { throw toChainError(error, 'read the head'); }
 */
export function toChainError(error: unknown, action: string): ChainError {
  if (isChainError(error)) return error;
  const message = messageOf(error);
  const code = codeOf(error);
  const short = `Could not ${action}.`;
  const parameters = { cause: error, details: message };

  if (isAbort(error))
    return new RetryableChainError('aborted', `Aborted while trying to ${action}.`, parameters);
  if (code === 1010 || /^1010:|Invalid Transaction/i.test(message))
    return invalidTransaction(message, action, error);
  if (
    code === 1012 ||
    code === 1013 ||
    code === 1014 ||
    /Priority is too low|already imported|temporarily banned/i.test(message)
  ) {
    return new RetryableChainError('pool', `The transaction pool turned away ${action} for now.`, parameters);
  }
  if (/State already discarded|UnknownBlock|Unknown block|State for block .* not available/i.test(message)) {
    return new NonRetryableChainError(
      'state-pruned',
      `The node no longer holds the state needed to ${action}.`,
      {
        ...parameters,
        hint: 'Use an archive node (--state-pruning archive) or read sooner after the block.',
      },
    );
  }
  if (/timeout|timed out|No response received/i.test(message))
    return new RetryableChainError('timeout', short, parameters);
  if (
    /disconnected|not connected|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENOTFOUND|ETIMEDOUT|socket hang up|1006|WebSocket|closed/i.test(
      message,
    )
  ) {
    return new RetryableChainError('connection', short, parameters);
  }
  if (code !== undefined) return new RetryableChainError('rpc', short, parameters);
  return new NonRetryableChainError('bad-response', short, parameters);
}

function invalidTransaction(message: string, action: string, cause: unknown): ChainError {
  const parameters = { cause, details: message };
  if (/payment|Inability to pay/i.test(message)) {
    return new NonRetryableChainError('insufficient-funds', `The account cannot pay the fee for ${action}.`, {
      ...parameters,
      chainCode: 'InvalidTransaction.Payment',
    });
  }
  if (/stale|future|ExhaustsResources|exhausts the resources|outdated/i.test(message)) {
    return new RetryableChainError('pool', `The transaction pool turned away ${action} for now.`, parameters);
  }
  const custom = /Custom error: (\d+)|"custom":\s*(\d+)/i.exec(message);
  return new NonRetryableChainError('rejected', `The chain refused ${action} as an invalid transaction.`, {
    ...parameters,
    chainCode: custom ? `InvalidTransaction.Custom(${custom[1] ?? custom[2]})` : 'InvalidTransaction',
  });
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error)
    return String((error as { message: unknown }).message);
  return String(error);
}

function codeOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
