import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Parameters of {@link writeNewFile}. */
export type WriteNewFileParameters = {
  /** The file to write. */
  path: string;
  text: string;
  /** Replace the file when it is there. @default false */
  force?: boolean | undefined;
  /**
   * Make the file readable by its owner only (0600, whatever the umask) and the folders it
   * is written into owner-only (0700), for keys. Otherwise the file is 0644 and new folders
   * get mkdir's mode, both less the umask. @default false
   */
  ownerOnly?: boolean | undefined;
  /** The error thrown when the file is there and `force` is not set. */
  exists: (path: string) => Error;
};

/**
 * Writes a file atomically: the text goes to a hidden file beside it, is flushed to disk, then
 * takes the file's name, and the folder's entries are flushed, so a reader or a crash sees the
 * whole old file or the whole new one, never a part. Without `force` an existing file is never
 * replaced: the name is taken with a hard link, which fails when the name is there, instead of
 * racing a check. No temporary file is left behind, whatever fails.
 *
 * @throws The error `exists` makes when the file is there and `force` is not set.
 * @example
 * await writeNewFile({ path: 'run.json', text, exists: (path) => new BaseError(`${path} exists already.`) });
 */
export async function writeNewFile(parameters: WriteNewFileParameters): Promise<void> {
  const { path, text, ownerOnly } = parameters;
  const folder = dirname(path);
  if (ownerOnly) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
  } else {
    await mkdir(folder, { recursive: true });
  }
  const staging = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(staging, 'wx', ownerOnly ? 0o600 : 0o644);
  try {
    try {
      if (ownerOnly) await handle.chmod(0o600);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (parameters.force) await rename(staging, path);
    else await link(staging, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw parameters.exists(path);
    throw error;
  } finally {
    await rm(staging, { force: true });
  }
  await syncFolder(folder);
}

/** Flushes a folder's entries, so the new name survives a power cut. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems cannot fsync a folder; the file itself is on disk.
  } finally {
    await handle.close();
  }
}
