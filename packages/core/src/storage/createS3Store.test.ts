import type { IncomingMessage, ServerResponse } from 'node:http';
import { rejectionOf } from '../_test/rejectionOf.js';
import { startTestHttpServer } from '../_test/startTestHttpServer.js';
import type { TestHttpServer } from '../_test/startTestHttpServer.js';
import { createS3Store } from './createS3Store.js';
import type { CreateS3StoreParameters } from './createS3Store.js';
import { httpGet } from './httpGet.js';
import { presignS3Url } from './presignS3Url.js';
import { sha256Hex, signS3Request } from './signS3Request.js';

const bucket = 'tessera-updates';
const region = 'auto';
const accessKeyId = 'AKIDTESSERA';
const secretAccessKey = 'secret/key+with=odd/chars';

/** Parses `YYYYMMDDTHHMMSSZ`. */
const parseAmzDate = (stamp: string) =>
  new Date(
    `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`,
  );

/**
 * A tiny S3 look-alike: one bucket in memory; every request must carry a SigV4 signature
 * that matches what was actually sent (header auth, body hash included, or a presigned
 * query that has not expired); anything else gets S3's 403 SignatureDoesNotMatch.
 */
function fakeS3(objects: Map<string, Uint8Array>) {
  const deny = (response: ServerResponse, code: string) =>
    response
      .writeHead(403, { 'content-type': 'application/xml' })
      .end(`<?xml version="1.0"?><Error><Code>${code}</Code></Error>`);

  const verify = (request: IncomingMessage, body: Uint8Array): string | undefined => {
    const url = new URL(`http://${request.headers.host}${request.url}`);
    const method = request.method ?? 'GET';
    const presigned = url.searchParams.get('X-Amz-Signature');
    if (presigned !== null) {
      const stamp = url.searchParams.get('X-Amz-Date') ?? '';
      const expires = Number(url.searchParams.get('X-Amz-Expires'));
      if (
        url.searchParams.get('X-Amz-Credential') !==
        `${accessKeyId}/${stamp.slice(0, 8)}/${region}/s3/aws4_request`
      ) {
        return 'InvalidAccessKeyId';
      }
      if (parseAmzDate(stamp).getTime() + expires * 1000 < Date.now()) return 'AccessDenied';
      const unsigned = new URL(url.href);
      for (const name of [...unsigned.searchParams.keys()])
        if (name.startsWith('X-Amz-')) unsigned.searchParams.delete(name);
      unsigned.search = unsigned.searchParams.toString();
      const expected = presignS3Url({
        method,
        url: unsigned,
        credentials: { accessKeyId, secretAccessKey },
        region,
        expiresSeconds: expires,
        date: parseAmzDate(stamp),
      });
      return new URL(expected).searchParams.get('X-Amz-Signature') === presigned
        ? undefined
        : 'SignatureDoesNotMatch';
    }
    const authorization = request.headers.authorization ?? '';
    const match =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(
        authorization,
      );
    if (match === null) return 'AuthorizationHeaderMalformed';
    const [, keyId, , signedRegion, signedHeaders = ''] = match;
    if (keyId !== accessKeyId || signedRegion !== region) return 'InvalidAccessKeyId';
    const names = signedHeaders.split(';');
    for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date'])
      if (!names.includes(required)) return 'AccessDenied';
    if (request.headers['x-amz-content-sha256'] !== sha256Hex(body)) return 'XAmzContentSHA256Mismatch';
    const extra: Record<string, string> = {};
    for (const name of names) {
      if (!['host', 'x-amz-date', 'x-amz-content-sha256'].includes(name))
        extra[name] = String(request.headers[name]);
    }
    const recomputed = signS3Request({
      method,
      url,
      headers: extra,
      payloadHash: sha256Hex(body),
      credentials: { accessKeyId, secretAccessKey },
      region,
      date: parseAmzDate(String(request.headers['x-amz-date'])),
    });
    return recomputed.authorization === authorization ? undefined : 'SignatureDoesNotMatch';
  };

  return (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      const denied = verify(request, body);
      if (denied !== undefined) return deny(response, denied);
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      if (!path.startsWith(`/${bucket}/`))
        return response.writeHead(404).end('<Error><Code>NoSuchBucket</Code></Error>');
      const key = path.slice(bucket.length + 2);
      const object = objects.get(key);
      switch (request.method) {
        case 'PUT':
          objects.set(key, body);
          return response.writeHead(200, { etag: '"x"' }).end();
        case 'GET':
        case 'HEAD':
          if (object === undefined)
            return response.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
          return response
            .writeHead(200, { 'content-length': object.length })
            .end(request.method === 'GET' ? object : undefined);
        case 'DELETE':
          objects.delete(key);
          return response.writeHead(204).end();
        default:
          return response.writeHead(405).end();
      }
    });
  };
}

describe('createS3Store', () => {
  const objects = new Map<string, Uint8Array>();
  let server: TestHttpServer;
  let options: CreateS3StoreParameters;
  const bytes = Uint8Array.from({ length: 4000 }, (_, i) => (i * 17) & 255);
  const read = { maxBytes: 1 << 20, timeoutMs: 5000 };

  beforeAll(async () => {
    server = await startTestHttpServer(fakeS3(objects));
    options = { endpoint: server.url, bucket, region, accessKeyId, secretAccessKey };
  });
  afterAll(() => server.close());

  it('puts with a signed PUT and hands out a presigned URI anyone can read', async () => {
    const store = createS3Store(options);
    const { uri } = await store.put({ key: 'w000003/uid-1.tsu', bytes });
    expect(objects.get('w000003/uid-1.tsu')).toEqual(bytes);
    expect(uri.startsWith(`${server.url}/${bucket}/w000003/uid-1.tsu?X-Amz-Algorithm=AWS4-HMAC-SHA256`)).toBe(
      true,
    );
    expect(await httpGet({ uri, ...read })).toEqual(bytes);
    expect(await store.get({ uri, ...read })).toEqual(bytes);
  });

  it('has and delete follow the bucket', async () => {
    const store = createS3Store(options);
    const key = 'w000003/gone.tsu';
    expect(await store.has({ key })).toBe(false);
    const { uri } = await store.put({ key, bytes: new Uint8Array([1]) });
    expect(await store.has({ key })).toBe(true);
    await store.delete({ key });
    await store.delete({ key });
    expect(await store.has({ key })).toBe(false);
    expect(await rejectionOf(store.get({ uri, ...read }))).toMatchObject({
      reason: 'not-found',
      details: 'HTTP 404: NoSuchKey',
    });
  });

  it('enforces the byte cap on reads', async () => {
    const store = createS3Store(options);
    const { uri } = await store.put({ key: 'capped', bytes });
    expect(await rejectionOf(store.get({ uri, maxBytes: 100, timeoutMs: 5000 }))).toMatchObject({
      reason: 'too-large',
    });
  });

  it('reports a wrong secret as a non-retryable rejection with S3 error code', async () => {
    const store = createS3Store({ ...options, secretAccessKey: 'wrong' });
    const error = await rejectionOf(store.put({ key: 'denied', bytes }));
    expect(error).toMatchObject({
      reason: 'rejected',
      retryable: false,
      details: 'HTTP 403: SignatureDoesNotMatch',
    });
    expect(objects.has('denied')).toBe(false);
  });

  it('presigned URIs cannot be bent to another key, and expire', async () => {
    const store = createS3Store(options);
    await store.put({ key: 'other', bytes: new Uint8Array([7]) });
    const { uri } = await store.put({ key: 'mine', bytes: new Uint8Array([1]) });
    const bent = uri.replace('/mine?', '/other?');
    expect(await rejectionOf(httpGet({ uri: bent, ...read }))).toMatchObject({ reason: 'rejected' });

    const past = createS3Store({
      ...options,
      presignExpiresSeconds: 60,
      now: () => new Date(Date.now() - 3_600_000),
    });
    expect(await rejectionOf(httpGet({ uri: past.uriOf({ key: 'mine' }), ...read }))).toMatchObject({
      reason: 'rejected',
    });
    // The store itself re-signs, so its own reads work after expiry.
    expect(await store.get({ uri: past.uriOf({ key: 'mine' }), ...read })).toEqual(new Uint8Array([1]));
  });

  it('puts under a prefix and hands out public URLs when the bucket is public', async () => {
    const store = createS3Store({ ...options, prefix: 'miner-7', publicUrl: 'https://updates.example.org/' });
    const { uri } = await store.put({ key: 'w1/k.tsu', bytes: new Uint8Array([3]) });
    expect(uri).toBe('https://updates.example.org/miner-7/w1/k.tsu');
    expect(objects.get('miner-7/w1/k.tsu')).toEqual(new Uint8Array([3]));
    expect(await store.get({ uri, ...read })).toEqual(new Uint8Array([3]));
    expect(
      await rejectionOf(store.get({ uri: 'https://updates.example.org/elsewhere/k', ...read })),
    ).toMatchObject({ reason: 'bad-uri' });
  });

  it('addresses buckets by virtual host when asked', () => {
    const store = createS3Store({ ...options, endpoint: 'https://s3.example.com', addressing: 'virtual' });
    expect(store.uriOf({ key: 'k' }).startsWith(`https://${bucket}.s3.example.com/k?X-Amz-`)).toBe(true);
  });

  it('checks its parameters', () => {
    expect(() => createS3Store({ ...options, bucket: 'Bad_Bucket' })).toThrow(/bucket/);
    expect(() => createS3Store({ ...options, endpoint: 'ftp://x' })).toThrow(/endpoint/);
    expect(() => createS3Store({ ...options, secretAccessKey: '' })).toThrow(/secretAccessKey/);
    expect(() => createS3Store({ ...options, prefix: '../up' })).toThrow(/key/);
    expect(() => createS3Store({ ...options, presignExpiresSeconds: 604801 })).toThrow(
      /presignExpiresSeconds/,
    );
  });
});
