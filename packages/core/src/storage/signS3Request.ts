import { createHash, createHmac } from 'node:crypto';

/** Credentials for an S3-compatible store (AWS S3, Cloudflare R2, MinIO). */
export type S3Credentials = {
  accessKeyId: string;
  secretAccessKey: string;
  /** Only for temporary credentials. */
  sessionToken?: string | undefined;
};

/** Parameters of {@link signS3Request}. */
export type SignS3RequestParameters = {
  method: string;
  /** The full object URL, query included. */
  url: URL;
  /** Headers to send and sign besides host and the x-amz-* ones this function adds. */
  headers?: Record<string, string> | undefined;
  /** Lowercase hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  payloadHash: string;
  credentials: S3Credentials;
  /** Signing region: `us-east-1`, `auto` for R2. */
  region: string;
  /** The request time. @default new Date() */
  date?: Date | undefined;
};

/** SHA-256 of an empty body, the payload hash of GET, HEAD and DELETE. */
export const emptyPayloadHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * Signs an S3 request with AWS Signature Version 4 in the Authorization header.
 *
 * @returns Every header to send: the given ones, `host`, `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token` when there is a session token, and
 * `authorization`.
 * @example
 * const headers = signS3Request({ method: 'PUT', url, payloadHash: sha256Hex(bytes), credentials, region: 'auto' });
 */
export function signS3Request(parameters: SignS3RequestParameters): Record<string, string> {
  const { method, url, payloadHash, credentials, region } = parameters;
  const stamp = amzDate(parameters.date ?? new Date());
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parameters.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.host = url.host;
  headers['x-amz-date'] = stamp;
  headers['x-amz-content-sha256'] = payloadHash;
  if (credentials.sessionToken !== undefined) headers['x-amz-security-token'] = credentials.sessionToken;

  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  const canonical = [
    method.toUpperCase(),
    canonicalPath(url),
    canonicalQuery(url.searchParams),
    names.map((name) => `${name}:${String(headers[name]).trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = scopeOf(stamp, region);
  const signature = signatureOf({
    secretAccessKey: credentials.secretAccessKey,
    stamp,
    region,
    scope,
    canonical,
  });
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/** Lowercase hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** `YYYYMMDDTHHMMSSZ`, the SigV4 timestamp. */
export function amzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** `date/region/s3/aws4_request`, the SigV4 credential scope. */
export function scopeOf(stamp: string, region: string): string {
  return `${stamp.slice(0, 8)}/${region}/s3/aws4_request`;
}

/** Percent-encodes everything but RFC 3986 unreserved characters, as SigV4 requires. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The canonical path: each segment decoded, then encoded once (S3 does not double-encode). */
export function canonicalPath(url: URL): string {
  return url.pathname
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
}

/** The canonical query string: encoded pairs sorted by name, then value. */
export function canonicalQuery(params: URLSearchParams): string {
  return [...params]
    .map(([name, value]) => [encodeRfc3986(name), encodeRfc3986(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** The hex signature of a canonical request. */
export function signatureOf(parameters: {
  secretAccessKey: string;
  stamp: string;
  region: string;
  scope: string;
  canonical: string;
}): string {
  const { secretAccessKey, stamp, region, scope, canonical } = parameters;
  const toSign = ['AWS4-HMAC-SHA256', stamp, scope, sha256Hex(canonical)].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(
    hmac(hmac(hmac(`AWS4${secretAccessKey}`, stamp.slice(0, 8)), region), 's3'),
    'aws4_request',
  );
  return createHmac('sha256', key).update(toSign).digest('hex');
}
