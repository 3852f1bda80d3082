import { NonRetryableStorageError } from '../errors/storage.js';

/**
 * A base URL a store builds on (an S3 endpoint, a bucket's public URL): http(s) with no
 * credentials, query or fragment, returned without trailing slashes.
 *
 * @throws NonRetryableStorageError `invalid-parameter` naming `what` when it is anything else.
 * @example
 * parsePlainHttpUrl({ value: 'https://pub-1.r2.dev/', what: 'S3: publicUrl' }); // 'https://pub-1.r2.dev'
 */
export function parsePlainHttpUrl(parameters: { value: string; what: string }): string {
  const { value, what } = parameters;
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new NonRetryableStorageError('invalid-parameter', `${what} does not parse.`, {
      details: String(value),
      cause,
    });
  }
  const plain =
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash;
  if (!plain) {
    throw new NonRetryableStorageError('invalid-parameter', `${what} must be a plain http(s) URL.`, {
      details: value,
    });
  }
  return url.href.replace(/\/+$/, '');
}
