import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { NonRetryableStorageError, RetryableStorageError, isStorageError } from '../errors/storage.js';
import type { Deadline } from './startDeadline.js';

/** Parameters of {@link openHttpRequest}. */
export type OpenHttpRequestParameters = {
  url: URL;
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  headers?: Record<string, string> | undefined;
  body?: Uint8Array | undefined;
  /** Time limit and abort signal for the request and its body. */
  deadline: Deadline;
  /** Refuse hosts that are or resolve to loopback, private, link-local or reserved addresses. */
  blockPrivateAddresses?: boolean | undefined;
  /** What error messages name: the URI or the key, never a secret. */
  target: string;
};

/** A response whose headers have arrived; the body is read (with a cap) or discarded. */
export type OpenHttpResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  /** Reads the body, failing with `too-large` as soon as it passes `maxBytes`. */
  readBody(parameters: { maxBytes: number }): Promise<Uint8Array>;
  /** Drops the body and the connection. */
  discard(): void;
};

/**
 * Sends one HTTP(S) request with node:http and waits for the response headers.
 *
 * No connection reuse, no decompression (`accept-encoding: identity`), no redirects: the
 * caller sees every status. Network failures become {@link StorageError}s.
 *
 * @example
 * const response = await openHttpRequest({ url, method: 'GET', deadline, target: uri });
 * const bytes = await response.readBody({ maxBytes });
 */
export function openHttpRequest(parameters: OpenHttpRequestParameters): Promise<OpenHttpResponse> {
  const { url, method, body, deadline, target } = parameters;
  if (parameters.blockPrivateAddresses) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) !== 0) assertPublicAddress(host, target);
  }
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (error: unknown) => reject(mapNetworkError(error, target, deadline));
    deadline.check(target);
    const headers: Record<string, string> = {
      'user-agent': 'tessera-storage',
      'accept-encoding': 'identity',
      ...parameters.headers,
    };
    if (body !== undefined) headers['content-length'] = String(body.byteLength);
    const req = request(
      url,
      {
        method,
        headers,
        agent: false,
        signal: deadline.signal,
        ...(parameters.blockPrivateAddresses ? { lookup: guardedLookup(target) } : {}),
      },
      (res) => resolve(wrapResponse(res, deadline, target)),
    );
    req.on('error', fail);
    req.end(body);
  });
}

function wrapResponse(res: IncomingMessage, deadline: Deadline, target: string): OpenHttpResponse {
  let settled = false;
  // Errors that arrive before (or after) readBody listens must not crash the process.
  res.on('error', () => undefined);
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    discard() {
      settled = true;
      res.destroy();
    },
    readBody({ maxBytes }) {
      return new Promise((resolve, reject) => {
        const finish = (error: unknown, bytes?: Uint8Array) => {
          if (settled) return;
          settled = true;
          deadline.signal.removeEventListener('abort', onAbort);
          if (error !== undefined) {
            res.destroy();
            reject(error);
          } else if (bytes !== undefined) resolve(bytes);
        };
        const onAbort = () => finish(deadline.error(target));
        if (deadline.signal.aborted) return onAbort();
        deadline.signal.addEventListener('abort', onAbort, { once: true });

        const header = res.headers['content-length'];
        const declared = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
        if (declared !== undefined && declared > maxBytes) {
          return finish(tooLarge(target, `Content-Length ${header} > ${maxBytes}`));
        }
        // With a Content-Length the body goes straight into one buffer of that size;
        // without one (chunked), chunks are kept and joined at the end.
        const direct = declared === undefined ? undefined : new Uint8Array(declared);
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          if (total + chunk.length > maxBytes)
            return finish(tooLarge(target, `more than ${maxBytes} bytes received`));
          if (direct !== undefined) {
            if (total + chunk.length > direct.length) return finish(cutShort(target));
            direct.set(chunk, total);
          } else chunks.push(chunk);
          total += chunk.length;
        });
        res.once('end', () => {
          if (!res.complete || (direct !== undefined && total !== direct.length))
            return finish(cutShort(target));
          if (direct !== undefined) return finish(undefined, direct);
          const bytes = new Uint8Array(total);
          let offset = 0;
          for (const chunk of chunks) {
            bytes.set(chunk, offset);
            offset += chunk.length;
          }
          finish(undefined, bytes);
        });
        res.on('error', (error) => finish(mapNetworkError(error, target, deadline)));
        res.once('close', () => {
          if (!res.complete) finish(deadline.signal.aborted ? deadline.error(target) : cutShort(target));
        });
      });
    },
  };
}

function tooLarge(target: string, details: string): NonRetryableStorageError {
  return new NonRetryableStorageError('too-large', 'Update is larger than the byte cap.', {
    target,
    details,
  });
}

function cutShort(target: string): RetryableStorageError {
  return new RetryableStorageError('connection', 'Connection closed before the body was complete.', {
    target,
  });
}

const tlsCodes = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Maps an error from node:http, node:https or DNS to a storage error. */
export function mapNetworkError(error: unknown, target: string, deadline: Deadline): unknown {
  if (isStorageError(error)) return error;
  if (deadline.signal.aborted) return deadline.error(target, error);
  const code = (error as { code?: unknown } | undefined)?.code;
  const details = typeof code === 'string' ? code : error instanceof Error ? error.message : undefined;
  if (
    typeof code === 'string' &&
    (tlsCodes.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_'))
  ) {
    return new NonRetryableStorageError('tls', 'TLS handshake failed.', { target, details, cause: error });
  }
  if (typeof code === 'string' && code.startsWith('HPE_')) {
    return new NonRetryableStorageError('bad-response', 'The server sent malformed HTTP.', {
      target,
      details,
      cause: error,
    });
  }
  if (code === 'ERR_INVALID_URL' || code === 'ERR_UNESCAPED_CHARACTERS' || code === 'ERR_INVALID_CHAR') {
    return new NonRetryableStorageError('bad-uri', 'URI cannot be requested.', {
      target,
      details,
      cause: error,
    });
  }
  return new RetryableStorageError('connection', 'Could not reach the store.', {
    target,
    details,
    cause: error,
  });
}

// Two lists: a BlockList maps IPv4 addresses onto its IPv6 rules, and ::ffff:0:0/96 would
// then match every IPv4 address.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blockedV4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (an IP literal) is loopback, private, link-local, multicast or reserved. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blockedV4.check(address, 'ipv4');
  if (family === 6) return blockedV6.check(address, 'ipv6');
  return false;
}

function assertPublicAddress(address: string, target: string): void {
  if (isPrivateAddress(address)) {
    throw new NonRetryableStorageError('blocked-address', 'Host is a private or loopback address.', {
      target,
      details: address,
      hint: 'Updates must be served from a public address; private addresses are blocked for this reader.',
    });
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function guardedLookup(target: string) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      try {
        for (const { address } of addresses) assertPublicAddress(address, target);
      } catch (blockedError) {
        return callback(blockedError as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
