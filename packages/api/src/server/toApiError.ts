import { STATUS_CODES } from 'node:http';
import { isChainError } from '@tessera/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api.js';
import type { ErrorBody } from '../schemas/responses.js';

type ValidationIssue = {
  instancePath: string;
  keyword: string;
  message?: string | undefined;
  params: Record<string, unknown>;
};

type ValidationFailure = Error & {
  validation: ValidationIssue[];
  validationContext?: string | undefined;
};

const isValidationFailure = (error: unknown): error is ValidationFailure =>
  error instanceof Error && Array.isArray((error as Partial<ValidationFailure>).validation);

const placeNames: Record<string, string> = {
  params: 'Path parameter',
  querystring: 'Query parameter',
  headers: 'Header',
  body: 'Body field',
};

/** Whether `error` says Redis could not be reached (ioredis' wording). */
function isStoreFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  return /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Stream isn't writeable|enableOfflineQueue/i.test(
    error.message,
  );
}

/** The message of a failed parameter check: which parameter, what was sent, what is expected. */
function validationMessage(error: ValidationFailure, request: FastifyRequest): string {
  const issue = error.validation[0];
  const place = error.validationContext ?? 'params';
  if (!issue) return error.message;
  const missing = issue.params.missingProperty;
  const name =
    typeof missing === 'string' ? missing : (issue.instancePath.replace(/^\//, '').split('/')[0] ?? '');
  const schema = (request.routeOptions.schema as Record<string, unknown> | undefined)?.[place] as
    { properties?: Record<string, { description?: string }> } | undefined;
  const expected = schema?.properties?.[name]?.description ?? issue.message ?? 'a valid value';
  const label = placeNames[place] ?? place;
  if (typeof missing === 'string') return `${label} '${name}' is missing; expected ${expected}.`;
  // What was sent, as text: the query string as it came, path parameters as routed (schema
  // coercion may already have turned "12" into 12, which reads the same).
  const sent =
    place === 'querystring'
      ? new URLSearchParams(request.url.split('?')[1] ?? '').get(name)
      : (request.params as Record<string, unknown>)[name];
  return `${label} '${name}' is invalid: got ${JSON.stringify(String(sent ?? ''))}, expected ${expected}.`;
}

/**
 * Maps anything a route, hook or plugin threw to an {@link ApiError} of the catalogue:
 * schema failures to INVALID_PARAMETER with a message naming the parameter, the rate
 * limiter's refusal to RATE_LIMITED, Redis outages to STORE_UNAVAILABLE, chain reads that
 * failed after their retries to CHAIN_UNAVAILABLE, the rest to
 * INTERNAL_ERROR.
 *
 * @example
 * app.setErrorHandler((error, request, reply) => { const e = toApiError(error, request); ... });
 */
export function toApiError(error: unknown, request: FastifyRequest): ApiError {
  if (error instanceof ApiError) return error;
  if (isValidationFailure(error)) {
    return new ApiError('INVALID_PARAMETER', { message: validationMessage(error, request), cause: error });
  }
  const status = (error as { statusCode?: unknown }).statusCode;
  if (status === 429) return new ApiError('RATE_LIMITED', { cause: error });
  if (isStoreFailure(error)) return new ApiError('STORE_UNAVAILABLE', { cause: error });
  if (isChainError(error) && error.retryable) return new ApiError('CHAIN_UNAVAILABLE', { cause: error });
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError('INVALID_PARAMETER', {
      message: error instanceof Error ? error.message : 'The request is invalid.',
      cause: error,
    });
  }
  return new ApiError('INTERNAL_ERROR', { cause: error });
}

/**
 * The JSON body of an error answer.
 *
 * @example
 * reply.code(error.statusCode).send(errorBody(error));
 */
export function errorBody(error: ApiError): ErrorBody {
  return {
    statusCode: error.statusCode,
    code: error.code,
    error: STATUS_CODES[error.statusCode] ?? 'Error',
    message: error.shortMessage,
    howToSolve: error.hint ?? '',
  };
}
