import { NonRetryableStorageError } from '../errors/storage.js';
import { assertReadLimits } from './assertReadLimits.js';
import { assertStoreKey } from './assertStoreKey.js';
import { statusError } from './httpGet.js';
import { openHttpRequest } from './openHttpRequest.js';
import type { OpenHttpResponse } from './openHttpRequest.js';
import { presignS3Url } from './presignS3Url.js';
import { emptyPayloadHash, sha256Hex, signS3Request } from './signS3Request.js';
import type { S3Credentials } from './signS3Request.js';
import { startDeadline } from './startDeadline.js';
import type { UpdateStore } from './types.js';

/** Parameters of {@link createS3Store}. */
export type CreateS3StoreParameters = {
  /** Service URL without the bucket: `https://<account>.r2.cloudflarestorage.com`, `http://127.0.0.1:9000`. */
  endpoint: string;
  /** Bucket name (3 to 63 of `a-z 0-9 . -`). */
  bucket: string;
  /** Signing region: `auto` for R2, `us-east-1` for MinIO's default, the bucket's region on AWS. */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Only for temporary credentials. */
  sessionToken?: string | undefined;
  /** Folder inside the bucket every key goes under, e.g. `tessera/miner-7`. @default none */
  prefix?: string | undefined;
  /** `path`: `endpoint/bucket/key` (R2, MinIO); `virtual`: `bucket.endpoint/key`. @default 'path' */
  addressing?: 'path' | 'virtual' | undefined;
  /**
   * Base URL of a public-read bucket (an R2 public domain, a CDN): URIs become
   * `${publicUrl}/${objectKey}`. Without it, URIs are presigned GET URLs.
   */
  publicUrl?: string | undefined;
  /** Validity of presigned URIs, in seconds; at most 604800 (7 days). @default 604800 */
  presignExpiresSeconds?: number | undefined;
  /** Time limit of `put`, `has` and `delete`, in milliseconds. @default 60000 */
  timeoutMs?: number | undefined;
  /** Clock used for signing. @default () => new Date() */
  now?: (() => Date) | undefined;
};

/**
 * Creates an {@link UpdateStore} on an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO),
 * signing every request with AWS Signature Version 4.
 *
 * `put` uploads with one signed PUT (body hash signed) and returns a URI validators can read
 * with plain HTTPS and no credentials: a presigned GET URL valid for up to 7 days, or a
 * public URL when `publicUrl` is set. Validators read those through {@link httpGet} (any
 * {@link createStoreRouter}); `get` on this store re-signs, so it works after expiry too.
 * Objects are sent in one request, so an update must stay under 5 GiB.
 *
 * @example
 * const store = createS3Store({ endpoint: 'https://acct.r2.cloudflarestorage.com', bucket: 'updates', region: 'auto', accessKeyId, secretAccessKey });
 * const { uri } = await store.put({ key: 'w000042/uid-7.tsu', bytes }); // presigned, commit it
 */
export function createS3Store(parameters: CreateS3StoreParameters): UpdateStore {
  const endpoint = parseEndpoint(parameters.endpoint);
  const { bucket, region } = parameters;
  if (typeof bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw invalid('bucket must be 3 to 63 characters of a-z, 0-9, "." and "-".', String(bucket));
  }
  if (typeof region !== 'string' || !/^[a-z0-9-]{1,32}$/.test(region))
    throw invalid('region is not a region name.', String(region));
  for (const name of ['accessKeyId', 'secretAccessKey'] as const) {
    if (typeof parameters[name] !== 'string' || parameters[name].length === 0)
      throw invalid(`${name} is missing.`);
  }
  if (parameters.prefix !== undefined) assertStoreKey({ key: parameters.prefix });
  const addressing = parameters.addressing ?? 'path';
  if (addressing !== 'path' && addressing !== 'virtual')
    throw invalid('addressing must be "path" or "virtual".', String(addressing));
  const expiresSeconds = parameters.presignExpiresSeconds ?? 604_800;
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > 604_800) {
    throw invalid('presignExpiresSeconds must be an integer from 1 to 604800.', String(expiresSeconds));
  }
  const timeoutMs = parameters.timeoutMs ?? 60_000;
  assertReadLimits({ maxBytes: 0, timeoutMs });
  const publicUrl =
    parameters.publicUrl === undefined
      ? undefined
      : parseEndpoint(parameters.publicUrl).href.replace(/\/+$/, '');
  const now = parameters.now ?? (() => new Date());
  const credentials: S3Credentials = {
    accessKeyId: parameters.accessKeyId,
    secretAccessKey: parameters.secretAccessKey,
    ...(parameters.sessionToken === undefined ? {} : { sessionToken: parameters.sessionToken }),
  };

  const base = endpoint.href.replace(/\/+$/, '');
  const bucketBase =
    addressing === 'path'
      ? `${base}/${bucket}`
      : `${endpoint.protocol}//${bucket}.${endpoint.host}${endpoint.pathname.replace(/\/+$/, '')}`;
  const objectKey = (key: string) => {
    assertStoreKey({ key });
    return parameters.prefix === undefined ? key : `${parameters.prefix}/${key}`;
  };
  const objectUrl = (key: string) => new URL(`${bucketBase}/${objectKey(key)}`);

  /** The key of one of this store's URIs (presigned or public), or `bad-uri`. */
  const keyOfUri = (uri: string): string => {
    let url: URL;
    try {
      url = new URL(uri);
    } catch (cause) {
      throw new NonRetryableStorageError('bad-uri', 'URI does not parse.', { target: uri, cause });
    }
    const path = `${url.origin}${url.pathname}`;
    const head = `${publicUrl ?? bucketBase}/${parameters.prefix === undefined ? '' : `${parameters.prefix}/`}`;
    if (!path.startsWith(head)) {
      throw new NonRetryableStorageError('bad-uri', 'Not a URI of this bucket.', {
        target: uri,
        details: `expected one under ${head}`,
      });
    }
    const key = path.slice(head.length);
    assertStoreKey({ key });
    return key;
  };

  /** Sends one signed request; the caller reads or discards the response. */
  const send = async (parameters: {
    method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
    key: string;
    body?: Uint8Array;
    timeoutMs: number;
    signal: AbortSignal | undefined;
    then: (response: OpenHttpResponse) => Promise<unknown>;
  }) => {
    const { method, key, body } = parameters;
    const url = objectUrl(key);
    const headers = signS3Request({
      method,
      url,
      headers: body === undefined ? {} : { 'content-type': 'application/octet-stream' },
      payloadHash: body === undefined ? emptyPayloadHash : sha256Hex(body),
      credentials,
      region,
      date: now(),
    });
    const deadline = startDeadline({ timeoutMs: parameters.timeoutMs, signal: parameters.signal });
    try {
      const response = await openHttpRequest({ url, method, headers, body, deadline, target: key });
      return await parameters.then(response);
    } finally {
      deadline.clear();
    }
  };

  /** Throws the storage error for a failed answer, with S3's error code when it sent one. */
  const fail = async (response: OpenHttpResponse, key: string): Promise<never> => {
    let code: string | undefined;
    try {
      const text = new TextDecoder().decode(await response.readBody({ maxBytes: 16 * 1024 }));
      code = /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1];
    } catch {
      response.discard();
    }
    throw statusError(response.status, key, code);
  };

  const uriOf = ({ key }: { key: string }) =>
    publicUrl === undefined
      ? presignS3Url({ url: objectUrl(key), credentials, region, expiresSeconds, date: now() })
      : `${publicUrl}/${objectKey(key)}`;

  return {
    kind: 's3',
    uriOf,

    async put({ key, bytes, signal }) {
      if (!(bytes instanceof Uint8Array)) {
        throw new NonRetryableStorageError('invalid-parameter', 'put needs the bytes as a Uint8Array.', {
          target: key,
        });
      }
      await send({
        method: 'PUT',
        key,
        body: bytes,
        timeoutMs,
        signal,
        then: async (response) => {
          if (response.status !== 200) return fail(response, key);
          response.discard();
        },
      });
      return { uri: uriOf({ key }) };
    },

    async get({ uri, maxBytes, timeoutMs: readTimeoutMs, signal }) {
      assertReadLimits({ maxBytes, timeoutMs: readTimeoutMs });
      const key = keyOfUri(uri);
      return (await send({
        method: 'GET',
        key,
        timeoutMs: readTimeoutMs,
        signal,
        then: async (response) =>
          response.status === 200 ? response.readBody({ maxBytes }) : fail(response, key),
      })) as Uint8Array;
    },

    async has({ key, signal }) {
      return (await send({
        method: 'HEAD',
        key,
        timeoutMs,
        signal,
        then: async (response) => {
          response.discard();
          if (response.status === 200) return true;
          if (response.status === 404) return false;
          throw statusError(response.status, key);
        },
      })) as boolean;
    },

    async delete({ key, signal }) {
      await send({
        method: 'DELETE',
        key,
        timeoutMs,
        signal,
        then: async (response) => {
          if (response.status === 200 || response.status === 204 || response.status === 404)
            return response.discard();
          return fail(response, key);
        },
      });
    },
  };
}

function parseEndpoint(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw invalid('endpoint does not parse.', String(value), cause);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.search ||
    url.hash
  ) {
    throw invalid('endpoint must be a plain http(s) URL.', value);
  }
  return url;
}

function invalid(message: string, details?: string, cause?: unknown): NonRetryableStorageError {
  return new NonRetryableStorageError('invalid-parameter', `createS3Store: ${message}`, { details, cause });
}
