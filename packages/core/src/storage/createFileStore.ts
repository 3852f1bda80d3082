import { stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NonRetryableStorageError, RetryableStorageError } from '../errors/storage.js';
import { assertCommittedUri, assertUriBase } from './assertCommittedUri.js';
import { assertStoreKey } from './assertStoreKey.js';
import { mapFileError, readFileUri } from './readFileUri.js';
import { writeFileAtomic } from './writeFileAtomic.js';
import type { UpdateStore } from './types.js';

/** Parameters of {@link createFileStore}. */
export type CreateFileStoreParameters = {
  /** Folder the objects live in; created on the first `put`. Relative paths resolve from the working directory. */
  root: string;
};

/**
 * Creates an {@link UpdateStore} on the local filesystem, handing out `file://` URIs, which
 * only processes on the same machine can read (and, outside the devnet, no validator does).
 *
 * The default store on one machine (the devnet), and what an HTTP update server serves from.
 * Writes are atomic: bytes go to a hidden temporary file in the same folder, are flushed,
 * then renamed over the key, so a reader never sees half an update. Reads only accept URIs
 * inside `root`, with the byte cap checked before and while reading.
 *
 * @example
 * const store = createFileStore({ root: '/var/tessera/updates' });
 * const { uri } = await store.put({ key: 'w000042/uid-7.tsu', bytes });
 * const bytes = await store.get({ uri, maxBytes: 64 << 20, timeoutMs: 5000 });
 */
export function createFileStore(parameters: CreateFileStoreParameters): UpdateStore {
  if (typeof parameters?.root !== 'string' || parameters.root.length === 0) {
    throw new NonRetryableStorageError('invalid-parameter', 'createFileStore needs a root folder.', {
      details: `root: ${String(parameters?.root)}`,
    });
  }
  const root = resolve(parameters.root);
  const pathOf = (key: string) => {
    assertStoreKey({ key });
    return join(root, ...key.split('/'));
  };
  assertUriBase({ base: `${pathToFileURL(root).href}/`, store: 'file', what: 'root folder' });
  const uriOf = ({ key }: { key: string }) =>
    assertCommittedUri({ uri: pathToFileURL(pathOf(key)).href, store: 'file' });
  const checkSignal = (signal: AbortSignal | undefined, target: string) => {
    if (signal?.aborted) {
      throw new RetryableStorageError('aborted', 'Store operation aborted.', {
        target,
        cause: signal.reason,
      });
    }
  };

  return {
    kind: 'file',
    uriOf,

    async put({ key, bytes, signal }) {
      const path = pathOf(key);
      const uri = uriOf({ key });
      if (!(bytes instanceof Uint8Array)) {
        throw new NonRetryableStorageError('invalid-parameter', 'put needs the bytes as a Uint8Array.', {
          target: key,
        });
      }
      checkSignal(signal, key);
      try {
        await writeFileAtomic({ path, bytes, mode: 0o644, signal });
      } catch (error) {
        checkSignal(signal, key);
        throw mapFileError(error, key);
      }
      return { uri };
    },

    get(read) {
      return readFileUri({ ...read, roots: [root] });
    },

    async has({ key, signal }) {
      const path = pathOf(key);
      checkSignal(signal, key);
      try {
        return (await stat(path)).isFile();
      } catch (error) {
        const mapped = mapFileError(error, key);
        if (mapped instanceof NonRetryableStorageError && mapped.reason === 'not-found') return false;
        throw mapped;
      }
    },

    async delete({ key, signal }) {
      const path = pathOf(key);
      checkSignal(signal, key);
      try {
        await unlink(path);
      } catch (error) {
        const mapped = mapFileError(error, key);
        if (mapped instanceof NonRetryableStorageError && mapped.reason === 'not-found') return;
        throw mapped;
      }
    },
  };
}
