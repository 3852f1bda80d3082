import { join } from 'node:path';
import { createFileStore, createLogger, NonRetryableStorageError, sleep } from '@tessera/core';
import { tempDir } from './_test/tempDir.js';
import { createReleaseQueue } from './createReleaseQueue.js';
import type { SealedUpdate } from './createReleaseQueue.js';

/** A chain whose head the test moves; waits poll it. */
function fakeChain(start: number) {
  let head = start;
  return {
    setHead: (block: number) => (head = block),
    waitForBlock: async ({ block, signal }: { block: number; signal?: AbortSignal | undefined }) => {
      while (head < block) await sleep(5, signal);
      return head;
    },
  };
}

describe('createReleaseQueue', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  const logger = createLogger({ level: 'silent' });
  const bytes = Uint8Array.of(1, 2, 3, 4, 5);
  const setup = (chain = fakeChain(100), controller = new AbortController()) => {
    const store = createFileStore({ root: join(dir.path, 'store') });
    const key = 'w000007/uid-3.tsu';
    const update: SealedUpdate = { window: 7, deadline: 110, key, uri: store.uriOf({ key }) };
    const queue = createReleaseQueue({
      dir: join(dir.path, 'sealed'),
      store,
      chain,
      logger,
      signal: controller.signal,
    });
    const read = () => store.get({ uri: update.uri, maxBytes: 64, timeoutMs: 1000 });
    return { store, update, queue, chain, controller, read };
  };

  it('uploads a committed update only once the chain is past its deadline', async () => {
    const { update, queue, chain, read } = setup();
    await queue.hold({ update, bytes });
    queue.release(update);
    await sleep(30);
    await expect(read()).rejects.toBeInstanceOf(NonRetryableStorageError);
    chain.setHead(110);
    await queue.idle();
    expect(await read()).toEqual(bytes);
    expect(await queue.resume()).toBe(0); // nothing left on disk
  });

  it('uploads after a restart what a stopped run held', async () => {
    const first = setup(fakeChain(100));
    await first.queue.hold({ update: first.update, bytes });
    first.queue.release(first.update);
    first.controller.abort();
    await first.queue.idle();
    await expect(first.read()).rejects.toBeInstanceOf(NonRetryableStorageError);

    const second = setup(fakeChain(120));
    expect(await second.queue.resume()).toBe(1);
    await second.queue.idle();
    expect(await second.read()).toEqual(bytes);
    expect(await second.queue.resume()).toBe(0);
  });

  it('forgets an update whose commitment did not land', async () => {
    const { update, queue } = setup();
    await queue.hold({ update, bytes });
    await queue.drop(update);
    expect(await queue.resume()).toBe(0);
  });
});
