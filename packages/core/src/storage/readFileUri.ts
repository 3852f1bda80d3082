import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NonRetryableStorageError, RetryableStorageError, isStorageError } from '../errors/storage.js';
import { assertReadLimits } from './assertReadLimits.js';
import { startDeadline } from './startDeadline.js';
import type { GetUpdateParameters } from './types.js';

/** Parameters of {@link readFileUri}. */
export type ReadFileUriParameters = GetUpdateParameters & {
  /**
   * Folders the file must lie in, after symbolic links are resolved. Without it any regular
   * file the process can read is allowed: fine on one machine, too open for a validator
   * that reads URIs from strangers.
   */
  roots?: readonly string[] | undefined;
};

const chunkBytes = 4 << 20;

/**
 * Reads a `file://` URI with a byte cap and a time limit.
 *
 * The size is checked with `fstat` before reading, and counted again while reading, so a
 * file that grows is still cut off at the cap. Only regular files are read; the file is
 * opened non-blocking, so a FIFO or device cannot hang the process.
 *
 * @returns The file's bytes.
 * @throws NonRetryableStorageError (`bad-uri`, `not-found`, `too-large`, `rejected`) or
 * RetryableStorageError (`timeout`, `aborted`, `io`).
 * @example
 * const bytes = await readFileUri({ uri: 'file:///var/tessera/w1/uid-3.tsu', maxBytes: 1 << 20, timeoutMs: 5000 });
 */
export async function readFileUri(parameters: ReadFileUriParameters): Promise<Uint8Array> {
  const { uri, maxBytes, timeoutMs, roots } = parameters;
  assertReadLimits({ maxBytes, timeoutMs });
  const path = filePathOf(uri);
  const deadline = startDeadline({ timeoutMs, signal: parameters.signal });
  let handle: FileHandle | undefined;
  try {
    deadline.check(uri);
    const real = roots === undefined ? path : await realpath(path);
    if (roots !== undefined && !(await isInsideAny(real, roots))) {
      throw new NonRetryableStorageError('bad-uri', 'File URI is outside the allowed folders.', {
        target: uri,
        details: `allowed: ${roots.join(', ')}`,
      });
    }
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new NonRetryableStorageError('bad-uri', 'File URI does not name a regular file.', {
        target: uri,
      });
    }
    if (stat.size > maxBytes) throw tooLarge(uri, `${stat.size} bytes on disk > ${maxBytes}`);

    // Not zeroed first: every byte returned is written by a read.
    let buffer = uninitialized(stat.size + 1);
    let total = 0;
    for (;;) {
      if (total === buffer.length) {
        // The file grew after fstat: keep reading, but never past the cap.
        if (total > maxBytes) throw tooLarge(uri, `more than ${maxBytes} bytes read (the file grew)`);
        const grown = uninitialized(Math.min(maxBytes + 1, buffer.length * 2));
        grown.set(buffer);
        buffer = grown;
      }
      deadline.check(uri);
      const length = Math.min(chunkBytes, buffer.length - total);
      const { bytesRead } = await handle.read(buffer, total, length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) throw tooLarge(uri, `more than ${maxBytes} bytes read (the file grew)`);
    return buffer.subarray(0, total);
  } catch (error) {
    throw mapFileError(error, uri);
  } finally {
    deadline.clear();
    await handle?.close().catch(() => undefined);
  }
}

/** A plain Uint8Array over memory that is not zeroed first. */
function uninitialized(length: number): Uint8Array {
  const buffer = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
}

/** Turns a `file:` URI into an absolute path, or throws `bad-uri`. */
export function filePathOf(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw new NonRetryableStorageError('bad-uri', 'URI does not parse.', { target: uri, cause });
  }
  if (url.protocol !== 'file:') {
    throw new NonRetryableStorageError('bad-uri', 'Not a file URI.', {
      target: uri,
      details: `scheme ${url.protocol}`,
    });
  }
  if (url.host !== '' && url.host !== 'localhost') {
    throw new NonRetryableStorageError('bad-uri', 'File URI names another host.', {
      target: uri,
      details: url.host,
    });
  }
  if (url.search !== '' || url.hash !== '') {
    throw new NonRetryableStorageError('bad-uri', 'File URI carries a query or fragment.', { target: uri });
  }
  try {
    return fileURLToPath(url);
  } catch (cause) {
    throw new NonRetryableStorageError('bad-uri', 'File URI does not map to a path.', { target: uri, cause });
  }
}

async function isInsideAny(path: string, roots: readonly string[]): Promise<boolean> {
  for (const root of roots) {
    const realRoot = await realpath(root).catch(() => undefined);
    if (realRoot === undefined) continue;
    const rel = relative(realRoot, path);
    if (rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return true;
  }
  return false;
}

function tooLarge(uri: string, details: string): NonRetryableStorageError {
  return new NonRetryableStorageError('too-large', 'Update is larger than the byte cap.', {
    target: uri,
    details,
  });
}

/** Maps a filesystem error to a storage error; storage errors pass through. */
export function mapFileError(error: unknown, target: string): unknown {
  if (isStorageError(error)) return error;
  const code = (error as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new NonRetryableStorageError('not-found', 'No object at that location.', {
        target,
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new NonRetryableStorageError('rejected', 'Permission denied.', { target, cause: error });
    case 'ELOOP':
    case 'ENAMETOOLONG':
      return new NonRetryableStorageError('bad-uri', 'Path cannot be opened.', { target, cause: error });
    default:
      return new RetryableStorageError('io', 'Filesystem error.', {
        target,
        details: typeof code === 'string' ? code : undefined,
        cause: error,
      });
  }
}
