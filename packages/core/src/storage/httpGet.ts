import { NonRetryableStorageError, RetryableStorageError } from '../errors/storage.js';
import { assertReadLimits } from './assertReadLimits.js';
import { openHttpRequest } from './openHttpRequest.js';
import { startDeadline } from './startDeadline.js';
import type { GetUpdateParameters } from './types.js';

/** How an HTTP(S) read behaves beyond its cap and time limit. */
export type HttpGetOptions = {
  /** Redirects followed, all to the same host and never from https to http. @default 3 */
  maxRedirects?: number | undefined;
  /**
   * Refuse hosts that are, or resolve to, loopback, private, link-local or reserved
   * addresses, so a miner's URI cannot make a validator probe its own network.
   * Leave it off on one machine (the devnet serves from 127.0.0.1). @default false
   */
  blockPrivateAddresses?: boolean | undefined;
  /** Extra request headers. */
  headers?: Record<string, string> | undefined;
};

/** Parameters of {@link httpGet}. */
export type HttpGetParameters = GetUpdateParameters & HttpGetOptions;

/** Longest URI accepted, in characters (presigned S3 URLs run to about 1500). */
export const maxHttpUriLength = 4096;

/**
 * Downloads an `http://` or `https://` URI with a hard byte cap and one time limit.
 *
 * A Content-Length above the cap fails before the body is read; without one (chunked
 * answers), the download stops as soon as the count passes the cap. The time limit covers
 * connecting, waiting and the whole body. Redirects are followed only to the same host.
 *
 * @returns The body's bytes.
 * @throws NonRetryableStorageError: `bad-uri`, `not-found` (404, 410), `too-large`,
 * `rejected` (other 4xx), `redirect`, `bad-response`, `tls`, `blocked-address`.
 * RetryableStorageError: `timeout`, `connection`, `server-error` (5xx, 408, 429), `aborted`.
 * @example
 * const bytes = await httpGet({ uri: 'https://miner.example/updates/w000042/uid-7.tsu', maxBytes: 64 << 20, timeoutMs: 10_000 });
 */
export async function httpGet(parameters: HttpGetParameters): Promise<Uint8Array> {
  const { uri, maxBytes, timeoutMs } = parameters;
  assertReadLimits({ maxBytes, timeoutMs });
  const maxRedirects = parameters.maxRedirects ?? 3;
  if (!Number.isSafeInteger(maxRedirects) || maxRedirects < 0) {
    throw new NonRetryableStorageError('invalid-parameter', 'maxRedirects must be a non-negative integer.', {
      details: `got ${String(maxRedirects)}`,
    });
  }
  const first = parseHttpUri(uri);
  const deadline = startDeadline({ timeoutMs, signal: parameters.signal });
  try {
    let url = first;
    for (let hop = 0; ; hop++) {
      const response = await openHttpRequest({
        url,
        method: 'GET',
        headers: { accept: 'application/octet-stream, */*', ...parameters.headers },
        deadline,
        blockPrivateAddresses: parameters.blockPrivateAddresses,
        target: uri,
      });
      const { status } = response;
      if (status >= 200 && status < 300) return await response.readBody({ maxBytes });
      response.discard();
      if ([301, 302, 303, 307, 308].includes(status)) {
        url = nextHop({ from: url, first, location: response.headers.location, hop, maxRedirects, uri });
        continue;
      }
      throw statusError(status, uri);
    }
  } finally {
    deadline.clear();
  }
}

/** Parses and checks an http(s) URI, or throws `bad-uri`. */
export function parseHttpUri(uri: string): URL {
  if (typeof uri !== 'string' || uri.length > maxHttpUriLength) {
    throw new NonRetryableStorageError('bad-uri', 'URI is not a string of reasonable length.', {
      details:
        typeof uri === 'string' ? `${uri.length} characters > ${maxHttpUriLength}` : `got ${typeof uri}`,
    });
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw new NonRetryableStorageError('bad-uri', 'URI does not parse.', { target: uri, cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new NonRetryableStorageError('bad-uri', 'Not an http(s) URI.', {
      target: uri,
      details: `scheme ${url.protocol}`,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new NonRetryableStorageError('bad-uri', 'URI carries credentials.', {
      target: `${url.protocol}//***@${url.host}`,
      hint: 'Put access rights in the URL path or query (a presigned URL), never user:password@.',
    });
  }
  if (url.hostname === '') throw new NonRetryableStorageError('bad-uri', 'URI has no host.', { target: uri });
  url.hash = '';
  return url;
}

function nextHop(parameters: {
  from: URL;
  first: URL;
  location: string | undefined;
  hop: number;
  maxRedirects: number;
  uri: string;
}): URL {
  const { from, first, location, hop, maxRedirects, uri } = parameters;
  if (location === undefined || location === '') {
    throw new NonRetryableStorageError('bad-response', 'Redirect without a Location header.', {
      target: uri,
    });
  }
  if (hop >= maxRedirects) {
    throw new NonRetryableStorageError('redirect', 'Too many redirects.', {
      target: uri,
      details: `more than ${maxRedirects}`,
    });
  }
  let next: URL;
  try {
    next = new URL(location, from);
  } catch (cause) {
    throw new NonRetryableStorageError('bad-response', 'Redirect Location does not parse.', {
      target: uri,
      cause,
    });
  }
  if (next.host !== first.host || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
    throw new NonRetryableStorageError('redirect', 'Redirect to another host.', {
      target: uri,
      details: `to ${next.protocol}//${next.host}`,
      hint: 'Commit the final URI; redirects are followed only within the same host.',
    });
  }
  if (from.protocol === 'https:' && next.protocol === 'http:') {
    throw new NonRetryableStorageError('redirect', 'Redirect from https to http.', { target: uri });
  }
  if (next.username !== '' || next.password !== '') {
    throw new NonRetryableStorageError('redirect', 'Redirect to a URI with credentials.', { target: uri });
  }
  next.hash = '';
  return next;
}

/** The storage error for a non-2xx, non-redirect HTTP status. */
export function statusError(status: number, target: string, details?: string): Error {
  const parameters = {
    target,
    details: details === undefined ? `HTTP ${status}` : `HTTP ${status}: ${details}`,
  };
  if (status === 404 || status === 410)
    return new NonRetryableStorageError('not-found', 'No object at that URI.', parameters);
  if (status === 408 || status === 429 || (status >= 500 && status < 600)) {
    return new RetryableStorageError('server-error', 'The store answered with an error.', parameters);
  }
  if (status >= 400 && status < 500)
    return new NonRetryableStorageError('rejected', 'The store refused the request.', parameters);
  return new NonRetryableStorageError('bad-response', 'Unexpected HTTP status.', parameters);
}
