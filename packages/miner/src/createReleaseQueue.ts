import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isRetryable, sleep, writeFileAtomic } from '@tessera/core';
import type { Logger, SubnetChain, UpdateStore } from '@tessera/core';

/** A committed update that is not uploaded yet: it goes up once its window's deadline passed. */
export type SealedUpdate = {
  window: number;
  /** First block at which no commitment for `window` counts any more. */
  deadline: number;
  /** Store key the bytes go under. */
  key: string;
  /** The URI committed: `store.uriOf({ key })`. */
  uri: string;
};

/** Parameters of {@link createReleaseQueue}. */
export type CreateReleaseQueueParameters = {
  /** Folder the sealed updates wait in (created on first use). */
  dir: string;
  store: Pick<UpdateStore, 'put'>;
  chain: Pick<SubnetChain, 'waitForBlock'>;
  logger: Logger;
  /** Aborts the waits and uploads in flight; what was not uploaded stays on disk. */
  signal: AbortSignal;
  /** Poll interval of the chain waits. */
  pollMs?: number | undefined;
  /** Upload tries per update. @default 5 */
  tries?: number | undefined;
};

/** The miner's updates between commitment and upload; see {@link createReleaseQueue}. */
export type ReleaseQueue = {
  /** Writes the bytes and their record to disk; call it before committing. */
  hold(parameters: { update: SealedUpdate; bytes: Uint8Array }): Promise<void>;
  /** Uploads a held update in the background once the chain reaches its deadline. */
  release(update: SealedUpdate): void;
  /** Forgets a held update whose commitment did not land. */
  drop(update: SealedUpdate): Promise<void>;
  /** Releases every update a previous run held and did not upload. @returns how many */
  resume(): Promise<number>;
  /** Resolves once every upload in flight ended (uploaded, given up, or aborted). */
  idle(): Promise<void>;
};

const recordSuffix = '.json';
const bytesSuffix = '.tsu';

/**
 * The miner's release queue. A miner commits its update's digest and URI before the
 * deadline but uploads the bytes only after it: until the deadline no one can read them,
 * so no one can copy them, or mix them into an update of their own, and still commit in the
 * window. The bytes wait on disk (`hold`, written atomically), so a miner that stops
 * between its commitment and the deadline uploads them when it starts again (`resume`).
 * An upload that fails is tried again with backoff; one that never lands leaves the update
 * `missing`, as a store outage always did, and stays on disk until the next start.
 *
 * @example
 * const releases = createReleaseQueue({ dir: join(stateDir, 'sealed'), store, chain, logger, signal });
 * await releases.resume();
 * await releases.hold({ update, bytes });
 * await chain.commit({ window, digest, uri: update.uri, modelHash });
 * releases.release(update);
 */
export function createReleaseQueue(parameters: CreateReleaseQueueParameters): ReleaseQueue {
  const { dir, store, chain, logger, signal } = parameters;
  const tries = parameters.tries ?? 5;
  const waitOptions = parameters.pollMs === undefined ? {} : { pollMs: parameters.pollMs };
  const inFlight = new Set<Promise<void>>();
  const nameOf = (update: SealedUpdate) => update.key.replace(/[^A-Za-z0-9._-]/g, '_');
  const pathsOf = (update: SealedUpdate) => {
    const name = nameOf(update);
    return { record: join(dir, `${name}${recordSuffix}`), bytes: join(dir, `${name}${bytesSuffix}`) };
  };

  const forget = async (update: SealedUpdate) => {
    const paths = pathsOf(update);
    await rm(paths.record, { force: true });
    await rm(paths.bytes, { force: true });
  };

  const upload = async (update: SealedUpdate) => {
    await chain.waitForBlock({ block: update.deadline, signal, ...waitOptions });
    const bytes = await readFile(pathsOf(update).bytes);
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const put = await store.put({ key: update.key, bytes, signal });
        if (put.uri !== update.uri)
          logger.warn('the store put the update under another URI than the one committed', {
            window: update.window,
            committed: update.uri,
            put: put.uri,
          });
        await forget(update);
        logger.info('update uploaded after the deadline', {
          window: update.window,
          uri: update.uri,
          bytes: bytes.byteLength,
          seconds: Math.round(performance.now() - started) / 1000,
        });
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (attempt >= tries || !isRetryable(error)) {
          logger.error('update could not be uploaded; validators will find it missing', {
            window: update.window,
            uri: update.uri,
            error,
          });
          return;
        }
        logger.warn('uploading the update failed; trying again', { window: update.window, attempt, error });
        await sleep(500 * 2 ** attempt, signal);
      }
    }
  };

  const release = (update: SealedUpdate) => {
    const task: Promise<void> = upload(update)
      .catch((error: unknown) => {
        if (!signal.aborted)
          logger.error('update release failed', { window: update.window, uri: update.uri, error });
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };

  return {
    async hold({ update, bytes }) {
      const paths = pathsOf(update);
      await writeFileAtomic({ path: paths.bytes, bytes, mode: 0o600 });
      await writeFileAtomic({
        path: paths.record,
        bytes: new TextEncoder().encode(`${JSON.stringify(update)}\n`),
        mode: 0o600,
      });
    },
    release,
    drop: forget,
    async resume() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
      let resumed = 0;
      for (const name of names.filter((n) => n.endsWith(recordSuffix))) {
        let update: SealedUpdate;
        try {
          update = parseSealedUpdate(JSON.parse(await readFile(join(dir, name), 'utf8')));
        } catch (error) {
          logger.warn('a sealed update record does not parse; removing it', { name, error });
          await rm(join(dir, name), { force: true });
          continue;
        }
        logger.info('uploading an update committed before the restart', {
          window: update.window,
          uri: update.uri,
        });
        release(update);
        resumed++;
      }
      return resumed;
    },
    async idle() {
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** Checks a record read back from disk. */
function parseSealedUpdate(value: unknown): SealedUpdate {
  const record = value as Partial<SealedUpdate> | null;
  const integer = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (
    record === null ||
    typeof record !== 'object' ||
    !integer(record.window) ||
    !integer(record.deadline) ||
    typeof record.key !== 'string' ||
    typeof record.uri !== 'string'
  ) {
    throw new Error(`not a sealed update record: ${JSON.stringify(value)}`);
  }
  return { window: record.window!, deadline: record.deadline!, key: record.key, uri: record.uri };
}
