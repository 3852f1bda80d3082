import { execFileSync } from 'node:child_process';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { rejectionOf } from '../_test/rejectionOf.js';
import { tempDir } from '../_test/tempDir.js';
import { NonRetryableStorageError, RetryableStorageError } from '../errors/storage.js';
import { createFileStore } from './createFileStore.js';

const limits = { maxBytes: 1 << 20, timeoutMs: 5000 };

describe('createFileStore', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  beforeEach(async () => {
    dir = await tempDir();
    root = join(dir.path, 'updates');
  });
  afterEach(() => dir.cleanup());

  it('round-trips bytes through a file:// URI and leaves no temporary files', async () => {
    const store = createFileStore({ root });
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    const { uri } = await store.put({ key: 'w000001/uid-3.tsu', bytes });
    expect(uri).toBe(pathToFileURL(join(root, 'w000001', 'uid-3.tsu')).href);
    expect(store.uriOf({ key: 'w000001/uid-3.tsu' })).toBe(uri);
    expect(await store.get({ uri, ...limits })).toEqual(bytes);
    expect(await readdir(join(root, 'w000001'))).toEqual(['uid-3.tsu']);
  });

  it('replaces an object on a second put, and has/delete follow it', async () => {
    const store = createFileStore({ root });
    const key = 'a/b.bin';
    expect(await store.has({ key })).toBe(false);
    await store.put({ key, bytes: new Uint8Array([1, 2, 3]) });
    const { uri } = await store.put({ key, bytes: new Uint8Array([9]) });
    expect(await store.has({ key })).toBe(true);
    expect(await store.get({ uri, ...limits })).toEqual(new Uint8Array([9]));
    await store.delete({ key });
    await store.delete({ key });
    expect(await store.has({ key })).toBe(false);
    expect(await rejectionOf(store.get({ uri, ...limits }))).toMatchObject({ reason: 'not-found' });
  });

  it('reads an empty object, and one exactly at the cap', async () => {
    const store = createFileStore({ root });
    const empty = await store.put({ key: 'empty', bytes: new Uint8Array(0) });
    expect(await store.get({ uri: empty.uri, maxBytes: 0, timeoutMs: 1000 })).toEqual(new Uint8Array(0));
    const full = await store.put({ key: 'full', bytes: new Uint8Array(64).fill(5) });
    expect((await store.get({ uri: full.uri, maxBytes: 64, timeoutMs: 1000 })).length).toBe(64);
  });

  it('refuses an object one byte over the cap', async () => {
    const store = createFileStore({ root });
    const { uri } = await store.put({ key: 'big', bytes: new Uint8Array(65) });
    const error = await rejectionOf(store.get({ uri, maxBytes: 64, timeoutMs: 1000 }));
    expect(error).toBeInstanceOf(NonRetryableStorageError);
    expect(error).toMatchObject({ reason: 'too-large' });
  });

  it.each([
    '../escape',
    '/abs',
    'a//b',
    'a/../b',
    '.hidden',
    'a\\b',
    '',
    'a/',
    'x'.repeat(257),
    'a b',
    'a/b/c/d/e/f/g/h/i',
  ])('rejects the key %j', async (key) => {
    const store = createFileStore({ root });
    const error = await rejectionOf(store.put({ key, bytes: new Uint8Array(1) }));
    expect(error).toMatchObject({ reason: 'bad-key' });
    expect(() => store.uriOf({ key })).toThrow(NonRetryableStorageError);
  });

  it('reads only inside its root, symbolic links included', async () => {
    const store = createFileStore({ root });
    await store.put({ key: 'inside', bytes: new Uint8Array([1]) });
    const outside = join(dir.path, 'secret');
    await writeFile(outside, 'secret');
    expect(await rejectionOf(store.get({ uri: pathToFileURL(outside).href, ...limits }))).toMatchObject({
      reason: 'bad-uri',
    });
    await symlink(outside, join(root, 'link'));
    expect(await rejectionOf(store.get({ uri: store.uriOf({ key: 'link' }), ...limits }))).toMatchObject({
      reason: 'bad-uri',
    });
    expect(await rejectionOf(store.get({ uri: 'http://example.com/inside', ...limits }))).toMatchObject({
      reason: 'bad-uri',
    });
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    const store = createFileStore({ root });
    await mkdir(root, { recursive: true });
    execFileSync('mkfifo', [join(root, 'pipe')]);
    expect(await rejectionOf(store.get({ uri: store.uriOf({ key: 'pipe' }), ...limits }))).toMatchObject({
      reason: 'bad-uri',
    });
  });

  it('stops at once on an aborted signal, with a retryable error', async () => {
    const store = createFileStore({ root });
    const { uri } = await store.put({ key: 'k', bytes: new Uint8Array(10) });
    const signal = AbortSignal.abort();
    const read = await rejectionOf(store.get({ uri, ...limits, signal }));
    expect(read).toBeInstanceOf(RetryableStorageError);
    expect(read).toMatchObject({ reason: 'aborted' });
    expect(await rejectionOf(store.put({ key: 'k2', bytes: new Uint8Array(1), signal }))).toMatchObject({
      reason: 'aborted',
    });
    expect(await store.has({ key: 'k2' })).toBe(false);
  });

  it('checks its parameters', async () => {
    expect(() => createFileStore({ root: '' })).toThrow(/root/);
    const store = createFileStore({ root });
    const { uri } = await store.put({ key: 'k', bytes: new Uint8Array(1) });
    for (const bad of [
      { maxBytes: -1, timeoutMs: 10 },
      { maxBytes: 1.5, timeoutMs: 10 },
      { maxBytes: 1, timeoutMs: 0 },
    ]) {
      expect(await rejectionOf(store.get({ uri, ...bad }))).toMatchObject({ reason: 'invalid-parameter' });
    }
    const notBytes = [1, 2] as unknown as Uint8Array;
    expect(await rejectionOf(store.put({ key: 'k', bytes: notBytes }))).toMatchObject({
      reason: 'invalid-parameter',
    });
  });
});
