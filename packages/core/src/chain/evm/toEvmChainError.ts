import { NonRetryableChainError, RetryableChainError, isChainError } from '../../errors/chain.js';
import type { ChainError, NonRetryableChainReason } from '../../errors/chain.js';
import { decodeRevert } from './decodeRevert.js';

// Custom errors that say more than "rejected".
const REVERT_REASONS: Record<string, NonRetryableChainReason> = {
  Subnet__AlreadyRegistered: 'already-registered',
  Subnet__NotRegistered: 'not-registered',
  Subnet__InsufficientStake: 'insufficient-funds',
  ERC20InsufficientBalance: 'insufficient-funds',
  ERC20InsufficientAllowance: 'insufficient-funds',
};

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

// "header not found" is not here: geth says it for blocks a lagging node has not seen yet.
const PRUNED = /missing trie node|state (is )?not available|historical state|pruned/i;
const RATE_LIMITED =
  /rate limit|too many requests|limit exceeded|capacity exceeded|try again later|busy|header not found/i;
const NONCE =
  /nonce too low|nonce has already been used|replacement transaction underpriced|already known|known transaction|nonce too high|transaction underpriced/i;
const CONNECTION =
  /ECONNREFUSED|ECONNRESET|socket hang up|network error|fetch failed|other side closed|EHOSTUNREACH|ENOTFOUND/i;

/**
 * Turns whatever ethers v6 (or Node's HTTP stack beneath it) threw into a {@link ChainError}:
 *
 * - a revert with data: NonRetryable, named after the custom error it decodes to
 *   (`chainCode: 'Subnet__LateCommit'`, the arguments in the message); `already-registered`,
 *   `not-registered` and `insufficient-funds` where the error means that, else `rejected`;
 * - refused or dropped connections (ECONNREFUSED, ECONNRESET, ...), timeouts, HTTP 408/429/5xx and
 *   rate limits: Retryable `connection`, `timeout` or `rpc`;
 * - stale or clashing nonces, underpriced replacements: Retryable `pool`;
 * - lack of funds for gas or value: NonRetryable `insufficient-funds`;
 * - pruned state: NonRetryable `state-pruned`; malformed replies: NonRetryable `bad-response`;
 * - an aborted signal: Retryable `aborted`.
 *
 * A ChainError passes through unchanged.
 *
 * @param error What was thrown.
 * @param action What was being done, for the message: "commit for window 12".
 * @returns The classified error, with the original as `cause`.
 * @example
 * try { await provider.estimateGas(tx); } catch (error) { throw toEvmChainError(error, 'commit'); }
 */
export function toEvmChainError(error: unknown, action: string): ChainError {
  if (isChainError(error)) return error;
  const message = messageOf(error);
  const code = fieldOf(error, 'code');
  const parameters = { cause: error, details: message };
  const short = `Could not ${action}.`;

  if (isAbort(error))
    return new RetryableChainError('aborted', `Aborted while trying to ${action}.`, parameters);

  const revert = decodeRevert(error);
  if (revert) {
    const reason = REVERT_REASONS[revert.name] ?? 'rejected';
    return new NonRetryableChainError(reason, `The contract rejected ${action}: ${revert.text}.`, {
      cause: error,
      chainCode: revert.name,
      details: revert.text,
    });
  }

  if (typeof code === 'string' && CONNECTION_CODES.has(code))
    return new RetryableChainError('connection', short, parameters);
  if (code === 'ETIMEDOUT' || code === 'TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT')
    return new RetryableChainError('timeout', short, parameters);
  if (code === 'NETWORK_ERROR') return new RetryableChainError('connection', short, parameters);
  if (code === 'INSUFFICIENT_FUNDS') {
    return new NonRetryableChainError('insufficient-funds', `The account cannot pay for ${action}.`, {
      ...parameters,
      hint: 'Fund the signing account with the chain’s native token for gas (and the registration burn).',
    });
  }
  if (code === 'NONCE_EXPIRED' || code === 'REPLACEMENT_UNDERPRICED' || code === 'TRANSACTION_REPLACED')
    return new RetryableChainError(
      'pool',
      `The node turned away ${action} for now (nonce or fee clash).`,
      parameters,
    );
  if (code === 'SERVER_ERROR') {
    const status = httpStatusOf(error);
    if (status === undefined || status >= 500 || status === 408 || status === 429)
      return new RetryableChainError('rpc', short, { ...parameters, details: withStatus(message, status) });
    return new NonRetryableChainError('rejected', `The RPC endpoint refused to ${action}.`, {
      ...parameters,
      details: withStatus(message, status),
      hint: 'Check the RPC URL and any API key it needs.',
    });
  }
  if (code === 'BAD_DATA') return new NonRetryableChainError('bad-response', short, parameters);
  if (
    code === 'INVALID_ARGUMENT' ||
    code === 'MISSING_ARGUMENT' ||
    code === 'UNEXPECTED_ARGUMENT' ||
    code === 'NUMERIC_FAULT'
  )
    return new NonRetryableChainError('invalid-parameter', short, parameters);
  if (code === 'CALL_EXCEPTION') {
    return new NonRetryableChainError(
      'rejected',
      `The contract rejected ${action} without a known error.`,
      parameters,
    );
  }
  if (code === 'ACTION_REJECTED')
    return new NonRetryableChainError('rejected', `The signer refused to sign ${action}.`, parameters);

  const nodeMessage = `${message} ${messageOf(fieldOf(fieldOf(error, 'info'), 'error'))}`;
  if (PRUNED.test(nodeMessage)) {
    return new NonRetryableChainError(
      'state-pruned',
      `The node no longer holds the state needed to ${action}.`,
      {
        ...parameters,
        hint: 'Use an archive node, or read sooner after the block.',
      },
    );
  }
  if (NONCE.test(nodeMessage))
    return new RetryableChainError(
      'pool',
      `The node turned away ${action} for now (nonce or fee clash).`,
      parameters,
    );
  if (/insufficient funds/i.test(nodeMessage))
    return new NonRetryableChainError(
      'insufficient-funds',
      `The account cannot pay for ${action}.`,
      parameters,
    );
  if (RATE_LIMITED.test(nodeMessage) || fieldOf(fieldOf(fieldOf(error, 'info'), 'error'), 'code') === -32005)
    return new RetryableChainError('rpc', short, parameters);
  if (/timeout|timed out/i.test(nodeMessage)) return new RetryableChainError('timeout', short, parameters);
  if (CONNECTION.test(nodeMessage)) return new RetryableChainError('connection', short, parameters);
  if (code === 'UNKNOWN_ERROR') return new RetryableChainError('rpc', short, parameters);
  return new NonRetryableChainError('rejected', short, parameters);
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return (error as { shortMessage?: string }).shortMessage ?? error.message;
  const message = fieldOf(error, 'message');
  return typeof message === 'string' ? message : error === undefined ? '' : String(error);
}

function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function httpStatusOf(error: unknown): number | undefined {
  const status =
    fieldOf(fieldOf(error, 'response'), 'statusCode') ??
    fieldOf(fieldOf(fieldOf(error, 'info'), 'response'), 'statusCode');
  if (typeof status === 'number') return status;
  const match = /server response (\d{3})/i.exec(messageOf(error));
  return match ? Number(match[1]) : undefined;
}

function withStatus(message: string, status: number | undefined): string {
  return status === undefined ? message : `HTTP ${status}: ${message}`;
}

function isAbort(error: unknown): boolean {
  return fieldOf(error, 'name') === 'AbortError' || fieldOf(error, 'code') === 'ABORT_ERR';
}
