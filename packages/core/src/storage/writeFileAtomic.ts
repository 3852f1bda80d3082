import { randomBytes } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Parameters of {@link writeFileAtomic}. */
export type WriteFileAtomicParameters = {
  /** The file to write or replace. */
  path: string;
  /** The new content; a string is written as UTF-8. */
  bytes: Uint8Array | string;
  /** Permissions of a new file, before the umask. @default 0o666 */
  mode?: number | undefined;
  /** Checked before the rename: an aborted write leaves the old content and throws the abort reason. */
  signal?: AbortSignal | undefined;
  /**
   * Replace a file already at `path`. Off, the new file takes the name with a hard link, which
   * fails with `EEXIST` when the name is taken, instead of racing a check; nothing is written
   * then. @default true
   */
  replace?: boolean | undefined;
};

/**
 * Writes a file so that readers see the old content or the new one, never half of it: the
 * bytes go to a hidden temporary file in the same folder, are flushed to disk, then renamed
 * over `path` (or, with `replace: false`, linked to it, so an existing file is never touched).
 * The folder is created when missing; the temporary file never outlives the call.
 * The one atomic write of Tessera: checkpoints, the file store, the corpus cache, the miner's
 * state, the weight reveals, run configs and key files all go through it.
 *
 * @example
 * await writeFileAtomic({ path: join(stateDir, 'miner.json'), bytes: JSON.stringify(state), mode: 0o600 });
 */
export async function writeFileAtomic(parameters: WriteFileAtomicParameters): Promise<void> {
  const { path, bytes, signal } = parameters;
  const temporary = temporaryPathOf(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temporary, 'wx', parameters.mode ?? 0o666);
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    signal?.throwIfAborted();
    if (parameters.replace === false) {
      await link(temporary, path);
      await rm(temporary, { force: true });
    } else {
      await rename(temporary, path);
    }
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * {@link writeFileAtomic} for callers that cannot wait, such as a store whose writes are
 * synchronous. Same guarantees; no signal.
 *
 * @example
 * writeFileAtomicSync({ path: '/var/lib/tessera/reveals.json', bytes: json, mode: 0o600 });
 */
export function writeFileAtomicSync(parameters: Omit<WriteFileAtomicParameters, 'signal'>): void {
  const { path, bytes } = parameters;
  const temporary = temporaryPathOf(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(temporary, 'wx', parameters.mode ?? 0o666);
    try {
      writeFileSync(fd, bytes);
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // the write's own error is the one to report
    }
    throw error;
  }
}

function temporaryPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}
