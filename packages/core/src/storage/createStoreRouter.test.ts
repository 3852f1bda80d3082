import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { rejectionOf } from '../_test/rejectionOf.js';
import { startTestHttpServer } from '../_test/startTestHttpServer.js';
import { tempDir } from '../_test/tempDir.js';
import { NonRetryableStorageError } from '../errors/storage.js';
import { createStoreRouter } from './createStoreRouter.js';
import { getUpdateBytes } from './getUpdateBytes.js';

const read = { maxBytes: 1000, timeoutMs: 5000 };

describe('createStoreRouter', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.cleanup());

  it('reads file: and http: URIs', async () => {
    const path = join(dir.path, 'update.bin');
    await writeFile(path, new Uint8Array([1, 2, 3]));
    const server = await startTestHttpServer((_req, res) => res.end(Buffer.from([4, 5])));
    try {
      const router = createStoreRouter();
      expect(router.schemes).toEqual(['file:', 'http:', 'https:']);
      expect(await router.get({ uri: pathToFileURL(path).href, ...read })).toEqual(new Uint8Array([1, 2, 3]));
      expect(await router.get({ uri: `${server.url}/x`, ...read })).toEqual(new Uint8Array([4, 5]));
      expect(await getUpdateBytes({ uri: `${server.url.replace('http:', 'HTTP:')}/x`, ...read })).toEqual(
        new Uint8Array([4, 5]),
      );
    } finally {
      await server.close();
    }
  });

  it.each(['ftp://host/x', 's3://bucket/key', 'no-scheme-at-all', 'javascript:alert(1)', ''])(
    'refuses %j as an unsupported scheme, for good',
    async (uri) => {
      const error = await rejectionOf(createStoreRouter().get({ uri, ...read }));
      expect(error).toBeInstanceOf(NonRetryableStorageError);
      expect(error).toMatchObject({ reason: 'unsupported-scheme' });
    },
  );

  it('can refuse file: URIs, or limit them to some folders', async () => {
    const path = join(dir.path, 'a.bin');
    await writeFile(path, 'a');
    const uri = pathToFileURL(path).href;
    expect(await rejectionOf(createStoreRouter({ file: false }).get({ uri, ...read }))).toMatchObject({
      reason: 'unsupported-scheme',
    });
    expect(
      await rejectionOf(getUpdateBytes({ uri, ...read, file: { roots: [join(dir.path, 'other')] } })),
    ).toMatchObject({
      reason: 'bad-uri',
    });
    expect(await getUpdateBytes({ uri, ...read, file: { roots: [dir.path] } })).toEqual(new Uint8Array([97]));
  });

  it('takes readers for more schemes', async () => {
    const router = createStoreRouter({
      readers: { 's3:': async ({ uri }) => new TextEncoder().encode(uri) },
    });
    expect(new TextDecoder().decode(await router.get({ uri: 's3://b/k', ...read }))).toBe('s3://b/k');
    expect(() => createStoreRouter({ readers: { s3: async () => new Uint8Array() } })).toThrow(
      NonRetryableStorageError,
    );
  });
});
