import { freePort } from '@tessera/devtools';
import { serveFiles } from '../_test/serveFiles.js';
import type { ServedFiles } from '../_test/serveFiles.js';
import { verdictsFixture } from '../_test/verdictsFixture.js';
import type { FixtureAggregate } from '../_test/verdictsFixture.js';
import { ApiConfigError } from '../errors/indexer.js';
import { createVerdictsReader, verdictsRouter } from './createVerdictsReader.js';

const validator = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' as const;
const modelHash = `0x${'ab'.repeat(32)}` as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let files: ServedFiles;
beforeEach(async () => {
  files = await serveFiles();
});
afterEach(async () => {
  await files.close();
});

/** An aggregate of `window` whose model file is served by `files`, with its verdicts file published. */
function published(window: number, aggregate: Partial<FixtureAggregate> = {}) {
  const record = { window, validator, modelHash, uids: [1, 3], ...aggregate };
  const { bytes, verdicts } = verdictsFixture({ aggregate: record, miners: [1, 2, 3] });
  files.set(`/models/w${window}.verdicts.json`, bytes);
  return {
    aggregate: { ...record, uri: `${files.url}/models/w${window}.ckpt` },
    bytes,
    verdicts,
    path: `/models/w${window}.verdicts.json`,
  };
}

const loopback = () => verdictsRouter({ privateAddresses: true });

describe('createVerdictsReader', () => {
  it('reads and checks the file beside the aggregate', async () => {
    const { aggregate } = published(7);
    const info = await createVerdictsReader({ router: loopback() }).read(aggregate);
    expect(info).toEqual({
      state: 'published',
      validator,
      uri: `${files.url}/models/w7.verdicts.json`,
      error: null,
      verdicts: [
        { uid: 1, status: 'scored', reason: null, score: 0.1, lossGain: 0.01, inAggregate: true },
        { uid: 2, status: 'rejected', reason: 'missing:late', score: 0, lossGain: null, inAggregate: false },
        { uid: 3, status: 'scored', reason: null, score: 0.3, lossGain: 0.03, inAggregate: true },
      ],
    });
  });

  it('answers no-aggregate without reading anything', async () => {
    expect(await createVerdictsReader({ router: loopback() }).read(undefined)).toEqual({
      state: 'no-aggregate',
      validator: null,
      uri: null,
      error: null,
      verdicts: [],
    });
  });

  it('marks a file unavailable when its digest does not match its contents', async () => {
    const { aggregate, bytes, path } = published(7);
    const text = new TextDecoder().decode(bytes).replace('"score":0.3', '"score":0.9');
    files.set(path, new TextEncoder().encode(text));
    const info = await createVerdictsReader({ router: loopback() }).read(aggregate);
    expect(info).toMatchObject({ state: 'unavailable', validator, verdicts: [] });
    expect(info.error).toMatch(/digest/);
  });

  it('marks a file unavailable when it belongs to another aggregate', async () => {
    const { aggregate } = published(7);
    const info = await createVerdictsReader({ router: loopback() }).read({
      ...aggregate,
      modelHash: `0x${'cd'.repeat(32)}`,
    });
    expect(info).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(info.error).toMatch(/another aggregate/);
    const otherSet = await createVerdictsReader({ router: loopback() }).read({ ...aggregate, uids: [1] });
    expect(otherSet.state).toBe('unavailable');
  });

  it('marks a file unavailable when it is absent or its host unreachable', async () => {
    const { aggregate, path } = published(7);
    files.set(path, undefined);
    const absent = await createVerdictsReader({ router: loopback() }).read(aggregate);
    expect(absent).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(absent.error).not.toBe('');
    const port = await freePort();
    const unreachable = await createVerdictsReader({ router: loopback() }).read({
      ...aggregate,
      uri: `http://127.0.0.1:${port}/models/w7.ckpt`,
    });
    expect(unreachable).toMatchObject({
      state: 'unavailable',
      uri: `http://127.0.0.1:${port}/models/w7.verdicts.json`,
      verdicts: [],
    });
  });

  it('refuses loopback and private addresses and file URIs by default', async () => {
    const { aggregate, path } = published(7);
    const info = await createVerdictsReader().read(aggregate);
    expect(info).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(info.error).toMatch(/private|loopback|refus/i);
    expect(files.requests(path)).toBe(0);
    const file = await createVerdictsReader().read({ ...aggregate, uri: 'file:///etc/passwd.ckpt' });
    expect(file.state).toBe('unavailable');
    // Allowed explicitly, the same file reads.
    expect((await createVerdictsReader({ router: loopback() }).read(aggregate)).state).toBe('published');
  });

  it('keeps a checked file for good: later reads do not fetch it again', async () => {
    const { aggregate, path } = published(7);
    const reader = createVerdictsReader({ router: loopback(), retryMs: 0 });
    const first = await reader.read(aggregate);
    files.set(path, undefined);
    expect(await reader.read(aggregate)).toEqual(first);
    expect(await reader.read({ ...aggregate, validator: validator.toLowerCase() as `0x${string}` })).toEqual(
      first,
    );
    expect(files.requests(path)).toBe(1);
  });

  it('keeps a failure for retryMs, then reads the file again', async () => {
    const { aggregate, bytes, path } = published(7);
    files.set(path, undefined);
    const reader = createVerdictsReader({ router: loopback(), retryMs: 300 });
    expect((await reader.read(aggregate)).state).toBe('unavailable');
    files.set(path, bytes);
    expect((await reader.read(aggregate)).state).toBe('unavailable');
    expect(files.requests(path)).toBe(1);
    await sleep(350);
    expect((await reader.read(aggregate)).state).toBe('published');
    expect(files.requests(path)).toBe(2);
  });

  it('measures retryMs from when the read failed, not when it started', async () => {
    const { aggregate, bytes, path } = published(7);
    files.set(path, undefined);
    files.delayMs = 250;
    const reader = createVerdictsReader({ router: loopback(), retryMs: 200 });
    expect((await reader.read(aggregate)).state).toBe('unavailable');
    files.set(path, bytes);
    expect((await reader.read(aggregate)).state).toBe('unavailable');
    expect(files.requests(path)).toBe(1);
  });

  it('shares one fetch between reads arriving together, a failure included', async () => {
    const { aggregate, path } = published(7);
    files.delayMs = 100;
    const reader = createVerdictsReader({ router: loopback() });
    const answers = await Promise.all([1, 2, 3, 4].map(() => reader.read(aggregate)));
    expect(answers.map((a) => a.state)).toEqual(['published', 'published', 'published', 'published']);
    expect(files.requests(path)).toBe(1);

    const missing = { ...aggregate, uri: `${files.url}/models/absent.ckpt` };
    const failed = await Promise.all([1, 2, 3].map(() => reader.read(missing)));
    expect(failed.map((a) => a.state)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(files.requests('/models/absent.verdicts.json')).toBe(1);
  });

  it('keeps at most cacheSize files, dropping the least recently read', async () => {
    const [a, b, c] = [published(1), published(2), published(3)];
    const reader = createVerdictsReader({ router: loopback(), cacheSize: 2 });
    await reader.read(a.aggregate);
    await reader.read(b.aggregate);
    await reader.read(a.aggregate); // a is now the most recently read
    await reader.read(c.aggregate); // drops b
    await reader.read(a.aggregate);
    expect(files.requests(a.path)).toBe(1);
    await reader.read(b.aggregate);
    expect(files.requests(b.path)).toBe(2);
    expect(files.requests(c.path)).toBe(1);
  });

  it('refuses settings that are not whole numbers ≥ 0', () => {
    expect(() => createVerdictsReader({ cacheSize: -1 })).toThrow(ApiConfigError);
    expect(() => createVerdictsReader({ retryMs: 0.5 })).toThrow(ApiConfigError);
  });
});
