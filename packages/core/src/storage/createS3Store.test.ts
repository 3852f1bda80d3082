import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { startS3Server } from '@tessera/devtools';
import type { S3Server } from '@tessera/devtools';
import { rejectionOf } from '../_test/rejectionOf.js';
import { NonRetryableStorageError, RetryableStorageError } from '../errors/storage.js';
import { createS3Client } from './createS3Client.js';
import { createS3Store } from './createS3Store.js';
import { createStoreRouter } from './createStoreRouter.js';
import { httpGet } from './httpGet.js';

// A real S3-protocol server (s3rver) on a free loopback port. It checks the access key id
// but not SigV4 signatures, so a wrong secret is not caught here; it serves unsigned GETs,
// which stands in for a public-read bucket.
const bucket = 'tessera-updates';
const read = { maxBytes: 1 << 20, timeoutMs: 5000 };
let s3: S3Server;

beforeAll(async () => {
  s3 = await startS3Server({ buckets: [bucket] });
});
afterAll(() => s3.stop());

const storeOf = (extra: Partial<Parameters<typeof createS3Store>[0]> = {}) =>
  createS3Store({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, bucket, ...extra });

describe('createS3Store on s3rver', () => {
  it('puts, reads back, overwrites, checks and deletes objects, with short s3:// URIs', async () => {
    const store = storeOf({ prefix: 'miner-7' });
    try {
      await store.checkBucket();
      const key = 'w000042/uid-7.tsu';
      expect(await store.has({ key })).toBe(false);
      const { uri } = await store.put({ key, bytes: new Uint8Array([1, 2, 3]) });
      expect(uri).toBe(`s3://${bucket}/miner-7/w000042/uid-7.tsu`);
      expect(store.uriOf({ key })).toBe(uri);
      expect(await store.has({ key })).toBe(true);
      expect(await store.get({ uri, ...read })).toEqual(new Uint8Array([1, 2, 3]));
      await store.put({ key, bytes: new Uint8Array([9, 8]) });
      expect(await store.get({ uri, ...read })).toEqual(new Uint8Array([9, 8]));
      // The object really is under the prefix: an unsigned GET sees it at its path.
      expect(await httpGet({ uri: `${s3.endpoint}/${bucket}/miner-7/${key}`, ...read })).toEqual(
        new Uint8Array([9, 8]),
      );
      await store.delete({ key });
      expect(await store.has({ key })).toBe(false);
      await store.delete({ key }); // deleting a missing object is fine
      expect(await rejectionOf(store.get({ uri, ...read }))).toMatchObject({ reason: 'not-found' });
    } finally {
      store.close();
    }
  });

  it('enforces the byte cap and refuses URIs of other buckets', async () => {
    const store = storeOf();
    try {
      const { uri } = await store.put({ key: 'big.tsu', bytes: new Uint8Array(5000) });
      const error = await rejectionOf(store.get({ uri, maxBytes: 4999, timeoutMs: 5000 }));
      expect(error).toBeInstanceOf(NonRetryableStorageError);
      expect(error).toMatchObject({ reason: 'too-large' });
      expect((await store.get({ uri, maxBytes: 5000, timeoutMs: 5000 })).byteLength).toBe(5000);
      expect(await rejectionOf(store.get({ uri: 's3://other-bucket/big.tsu', ...read }))).toMatchObject({
        reason: 'bad-uri',
      });
      expect(await rejectionOf(store.put({ key: '../x', bytes: new Uint8Array(1) }))).toMatchObject({
        reason: 'bad-key',
      });
    } finally {
      store.close();
    }
  });

  it('fails clearly on a missing bucket and an unknown access key', async () => {
    const missing = storeOf({ bucket: 'no-such-bucket' });
    const bad = storeOf({ credentials: { accessKeyId: 'WRONG', secretAccessKey: 'S3RVER' } });
    try {
      const noBucket = await rejectionOf(missing.checkBucket());
      expect(noBucket).toMatchObject({ reason: 'not-found', shortMessage: 'The S3 bucket does not exist.' });
      const denied = await rejectionOf(bad.put({ key: 'x.tsu', bytes: new Uint8Array(1) }));
      expect(denied).toBeInstanceOf(NonRetryableStorageError);
      expect(denied).toMatchObject({ reason: 'rejected' });
      expect(await rejectionOf(bad.checkBucket())).toMatchObject({ reason: 'rejected' });
    } finally {
      missing.close();
      bad.close();
    }
  });

  it('hands out public URLs with publicUrl, which anyone reads over plain HTTP', async () => {
    const store = storeOf({ prefix: 'v1', publicUrl: `${s3.endpoint}/${bucket}/` });
    try {
      const { uri } = await store.put({
        key: 'models/w00000010-0123456789abcdef.ckpt',
        bytes: new Uint8Array([5]),
      });
      expect(uri).toBe(`${s3.endpoint}/${bucket}/v1/models/w00000010-0123456789abcdef.ckpt`);
      expect(await createStoreRouter({ file: false }).get({ uri, ...read })).toEqual(new Uint8Array([5]));
      expect(await store.get({ uri, ...read })).toEqual(new Uint8Array([5]));
    } finally {
      store.close();
    }
  });

  it('lets a router read s3:// URIs with its own client, for its buckets only', async () => {
    const store = storeOf({ prefix: 'miner-3' });
    const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials });
    try {
      const { uri } = await store.put({ key: 'w000001/uid-3.tsu', bytes: new Uint8Array([7, 7]) });
      const router = createStoreRouter({ file: false, s3: { client, buckets: [bucket] } });
      expect(router.schemes).toContain('s3:');
      expect(await router.get({ uri, ...read })).toEqual(new Uint8Array([7, 7]));
      expect(await rejectionOf(router.get({ uri, maxBytes: 1, timeoutMs: 5000 }))).toMatchObject({
        reason: 'too-large',
      });
      expect(
        await rejectionOf(router.get({ uri: `s3://${bucket}/miner-3/none.tsu`, ...read })),
      ).toMatchObject({
        reason: 'not-found',
      });
      const other = createStoreRouter({ s3: { client, buckets: ['someone-else'] } });
      expect(await rejectionOf(other.get({ uri, ...read }))).toMatchObject({ reason: 'bad-uri' });
      expect(await rejectionOf(createStoreRouter().get({ uri, ...read }))).toMatchObject({
        reason: 'unsupported-scheme',
      });
      expect(await rejectionOf(router.get({ uri: `s3://${bucket}/../etc`, ...read }))).toMatchObject({
        reason: 'bad-uri',
      });
    } finally {
      store.close();
      client.destroy();
    }
  });

  it('times out against a server that never answers (retryable)', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const store = createS3Store({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      credentials: s3.credentials,
      bucket,
      maxAttempts: 1,
    });
    try {
      const error = await rejectionOf(
        store.get({ uri: `s3://${bucket}/x.tsu`, maxBytes: 10, timeoutMs: 200 }),
      );
      expect(error).toBeInstanceOf(RetryableStorageError);
      expect(error).toMatchObject({ reason: 'timeout' });
    } finally {
      store.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('checks its settings before any request', () => {
    expect(() => storeOf({ bucket: 'No_Caps' })).toThrow(/bucket/);
    expect(() => storeOf({ endpoint: 'ftp://x' })).toThrow(/endpoint/);
    expect(() => storeOf({ credentials: { accessKeyId: '', secretAccessKey: 'x' } })).toThrow(/accessKeyId/);
    expect(() => storeOf({ prefix: '../up' })).toThrow(/key/i);
    expect(() => storeOf({ publicUrl: 'https://user:pw@cdn.example' })).toThrow(/publicUrl/);
  });
});
