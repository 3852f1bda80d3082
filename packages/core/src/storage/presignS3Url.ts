import { amzDate, canonicalPath, canonicalQuery, scopeOf, signatureOf } from './signS3Request.js';
import type { S3Credentials } from './signS3Request.js';

/** Parameters of {@link presignS3Url}. */
export type PresignS3UrlParameters = {
  /** @default 'GET' */
  method?: string | undefined;
  /** The object URL. */
  url: URL;
  credentials: S3Credentials;
  region: string;
  /** Seconds the URL stays valid, 1 to 604800 (7 days, the SigV4 limit). */
  expiresSeconds: number;
  /** Signing time. @default new Date() */
  date?: Date | undefined;
};

/**
 * Builds a presigned URL (AWS Signature Version 4 in the query string), so anyone holding
 * it can read a private object over plain HTTPS until it expires, with no credentials.
 *
 * @returns The URL, signed for the `host` header only.
 * @example
 * const uri = presignS3Url({ url: objectUrl, credentials, region: 'auto', expiresSeconds: 86_400 });
 */
export function presignS3Url(parameters: PresignS3UrlParameters): string {
  const { url, credentials, region, expiresSeconds } = parameters;
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > 604_800) {
    throw new RangeError(`expiresSeconds must be an integer from 1 to 604800, got ${expiresSeconds}`);
  }
  const method = (parameters.method ?? 'GET').toUpperCase();
  const stamp = amzDate(parameters.date ?? new Date());
  const scope = scopeOf(stamp, region);
  const signed = new URL(url.href);
  signed.hash = '';
  signed.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA256');
  signed.searchParams.set('X-Amz-Credential', `${credentials.accessKeyId}/${scope}`);
  signed.searchParams.set('X-Amz-Date', stamp);
  signed.searchParams.set('X-Amz-Expires', String(expiresSeconds));
  if (credentials.sessionToken !== undefined)
    signed.searchParams.set('X-Amz-Security-Token', credentials.sessionToken);
  signed.searchParams.set('X-Amz-SignedHeaders', 'host');
  const canonical = [
    method,
    canonicalPath(signed),
    canonicalQuery(signed.searchParams),
    `host:${signed.host}\n`,
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const signature = signatureOf({
    secretAccessKey: credentials.secretAccessKey,
    stamp,
    region,
    scope,
    canonical,
  });
  signed.searchParams.set('X-Amz-Signature', signature);
  return signed.href;
}
