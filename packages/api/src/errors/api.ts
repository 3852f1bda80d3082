import { BaseError } from '@tessera/core';
import type { BaseErrorParameters } from '@tessera/core';

/** One entry of {@link apiErrorCatalogue}: the HTTP status, what it means, and how to solve it. */
export type ApiErrorEntry = {
  /** HTTP status the error is answered with. */
  statusCode: number;
  /** One line: what went wrong, the default message. */
  title: string;
  /** What the caller can do about it. docs/api.md repeats it under "Errors". */
  howToSolve: string;
};

/**
 * Every error the REST API answers with, by stable code. Codes never change meaning; new
 * ones are added at the end. docs/api.md documents each with "how to solve" (a test keeps
 * the two in step).
 */
export const apiErrorCatalogue = {
  INVALID_PARAMETER: {
    statusCode: 400,
    title: 'A path or query parameter is invalid.',
    howToSolve:
      'Read the message: it names the parameter, the value sent and what is expected. Every parameter is described in the OpenAPI document at /docs.',
  },
  INVALID_ADDRESS: {
    statusCode: 400,
    title: 'The address is not a valid account address.',
    howToSolve:
      'Send 0x followed by 40 hex digits: all lower case, all upper case, or mixed case with a correct EIP-55 checksum (copy it from your wallet).',
  },
  ROUTE_NOT_FOUND: {
    statusCode: 404,
    title: 'No such route.',
    howToSolve: 'Check the path and method against /docs; every route is a GET under /v1.',
  },
  NEURON_NOT_FOUND: {
    statusCode: 404,
    title: 'No neuron holds this uid.',
    howToSolve: 'List the registered uids with GET /v1/neurons. A uid may have been pruned or deregistered.',
  },
  EPOCH_NOT_FOUND: {
    statusCode: 404,
    title: 'This epoch is not settled, or not indexed yet.',
    howToSolve:
      'List settled epochs with GET /v1/epochs. An epoch appears once someone calls settleEpoch and the block has the configured confirmations.',
  },
  WINDOW_NOT_STARTED: {
    statusCode: 404,
    title: 'This window has not started yet.',
    howToSolve: 'GET /v1/subnet gives the current window; ask for that one or an earlier one.',
  },
  RECEIPT_NOT_FOUND: {
    statusCode: 404,
    title: 'This account received nothing in this epoch.',
    howToSolve:
      'GET /v1/accounts/{address}/rewards lists the epochs the account was paid in; ask for a receipt of one of those.',
  },
  RATE_LIMITED: {
    statusCode: 429,
    title: 'Too many requests.',
    howToSolve:
      'Wait for the number of seconds in the Retry-After header, then retry; cache responses for as long as their Cache-Control header allows.',
  },
  INDEX_NOT_READY: {
    statusCode: 503,
    title: 'The index has not been built yet.',
    howToSolve:
      'Start the API with the indexer enabled (the default) and wait for its first pass; GET /v1/health shows its progress.',
  },
  STORE_UNAVAILABLE: {
    statusCode: 503,
    title: 'The index store (Redis) cannot be reached.',
    howToSolve: 'Retry shortly. Operators: check that Redis is up and that --redis-url points at it.',
  },
  INTERNAL_ERROR: {
    statusCode: 500,
    title: 'Something failed inside the API.',
    howToSolve: 'Retry; if it persists, report it with the request id from the x-request-id header.',
  },
  CHAIN_UNAVAILABLE: {
    statusCode: 503,
    title: 'The chain node cannot be read.',
    howToSolve:
      'Retry shortly. Operators: check that the node at --ws (subtensor) is up and serves the subnet --netuid names.',
  },
} as const satisfies Record<string, ApiErrorEntry>;

/** A stable error code of the REST API. */
export type ApiErrorCode = keyof typeof apiErrorCatalogue;

/**
 * An error the API answers with: a code from {@link apiErrorCatalogue}, its HTTP status, and a
 * message for this occurrence. The server's one error handler turns it into the JSON body.
 *
 * @example
 * throw new ApiError('NEURON_NOT_FOUND', { message: `No neuron holds uid ${uid}.` });
 */
export class ApiError extends BaseError {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly statusCode: number;

  constructor(code: ApiErrorCode, parameters: BaseErrorParameters & { message?: string | undefined } = {}) {
    const entry: ApiErrorEntry = apiErrorCatalogue[code];
    super(parameters.message ?? entry.title, { hint: entry.howToSolve, ...parameters });
    this.code = code;
    this.statusCode = entry.statusCode;
  }
}
