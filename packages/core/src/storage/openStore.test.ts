import { startS3Server } from '@tessera/devtools';
import type { S3Server } from '@tessera/devtools';
import { rejectionOf } from '../_test/rejectionOf.js';
import { tempDir } from '../_test/tempDir.js';
import { createStoreRouter } from './createStoreRouter.js';
import { httpGet } from './httpGet.js';
import { openStore, storeReadersOf } from './openStore.js';
import type { StoreOptions } from './openStore.js';
import { parseStoreOption } from './parseStoreOption.js';

const read = { maxBytes: 1000, timeoutMs: 5000 };
let s3: S3Server;
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  [s3, dir] = await Promise.all([startS3Server({ buckets: ['tessera'] }), tempDir()]);
});
afterAll(() => Promise.all([s3.stop(), dir.cleanup()]));

const optionsOf = (extra: Partial<StoreOptions>): StoreOptions => ({
  store: '',
  storeDir: dir.path,
  publicUrl: '',
  s3Endpoint: s3.endpoint,
  s3Region: '',
  s3AccessKeyId: 'S3RVER',
  s3SecretAccessKey: 'S3RVER',
  s3SessionToken: '',
  s3Addressing: 'auto',
  s3ReadBuckets: [],
  ...extra,
});

describe('parseStoreOption', () => {
  it('reads the three kinds and explains bad values', () => {
    expect(parseStoreOption({ store: '' })).toEqual({ kind: 'file' });
    expect(parseStoreOption({ store: 'http://0.0.0.0:8080' })).toEqual({
      kind: 'http',
      host: '0.0.0.0',
      port: 8080,
    });
    expect(parseStoreOption({ store: 'http://[::]:8080/' })).toEqual({
      kind: 'http',
      host: '::',
      port: 8080,
    });
    expect(parseStoreOption({ store: 's3://tessera' })).toEqual({
      kind: 's3',
      bucket: 'tessera',
      prefix: undefined,
    });
    expect(parseStoreOption({ store: 's3://tessera/a/b/' })).toEqual({
      kind: 's3',
      bucket: 'tessera',
      prefix: 'a/b',
    });
    expect(() => parseStoreOption({ store: 's3://Bad_Bucket' })).toThrow(/bucket/);
    expect(() => parseStoreOption({ store: 's3://tessera/../x' })).toThrow(/prefix/);
    expect(() => parseStoreOption({ store: 'http://host' })).toThrow(/port/);
    expect(() => parseStoreOption({ store: 'http://host:80/path' })).toThrow(/host:port only/);
    expect(() => parseStoreOption({ store: 'https://host:443' })).toThrow(/plain HTTP/);
    expect(() => parseStoreOption({ store: 'ftp://host' })).toThrow(/unknown kind/);
  });
});

describe('openStore', () => {
  it('opens an S3 store after checking the bucket, and its readers read its s3:// URIs', async () => {
    const opened = await openStore({ options: optionsOf({ store: 's3://tessera/v-1' }), maxBytes: 1000 });
    try {
      const { uri } = await opened.store.put({ key: 'models/w1.ckpt', bytes: new Uint8Array([1]) });
      expect(uri).toBe('s3://tessera/v-1/models/w1.ckpt');
      // A worker with the same options reads it with its own client.
      const worker = storeReadersOf(optionsOf({ store: 's3://tessera/v-1' }));
      expect(await createStoreRouter({ s3: worker.s3 }).get({ uri, ...read })).toEqual(new Uint8Array([1]));
      worker.close();
    } finally {
      await opened.close();
    }
  });

  it('refuses a missing bucket, half a key pair and a public URL on a folder', async () => {
    expect(
      await rejectionOf(openStore({ options: optionsOf({ store: 's3://missing-bucket' }), maxBytes: 1 })),
    ).toMatchObject({
      reason: 'not-found',
      shortMessage: 'The S3 bucket does not exist.',
    });
    await expect(
      openStore({ options: optionsOf({ store: 's3://tessera', s3SecretAccessKey: '' }), maxBytes: 1 }),
    ).rejects.toThrow(/both the access key id and the secret/);
    await expect(
      openStore({ options: optionsOf({ publicUrl: 'http://x.example' }), maxBytes: 1 }),
    ).rejects.toThrow(/--public-url needs an http or s3 --store/);
  });

  it('serves the folder over real HTTP with an http store', async () => {
    const opened = await openStore({ options: optionsOf({ store: 'http://127.0.0.1:0' }), maxBytes: 1000 });
    try {
      const { uri } = await opened.store.put({ key: 'w000001/uid-1.tsu', bytes: new Uint8Array([4, 2]) });
      expect(uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/updates\/w000001\/uid-1\.tsu$/);
      expect(await httpGet({ uri, ...read })).toEqual(new Uint8Array([4, 2]));
      expect(await rejectionOf(httpGet({ uri: `${uri}x`, ...read }))).toMatchObject({ reason: 'not-found' });
      expect(await rejectionOf(httpGet({ uri, maxBytes: 1, timeoutMs: 5000 }))).toMatchObject({
        reason: 'too-large',
      });
    } finally {
      await opened.close();
    }
  });

  it('keeps a folder store local and reads no s3:// without a bucket', async () => {
    const opened = await openStore({ options: optionsOf({}), maxBytes: 1000 });
    const { uri } = await opened.store.put({ key: 'a.tsu', bytes: new Uint8Array([3]) });
    expect(uri.startsWith('file://')).toBe(true);
    expect(opened.s3).toBeUndefined();
    await opened.close();
    const readers = storeReadersOf(optionsOf({ s3ReadBuckets: ['tessera'] }));
    expect(readers.s3?.buckets).toEqual(['tessera']);
    readers.close();
  });
});
