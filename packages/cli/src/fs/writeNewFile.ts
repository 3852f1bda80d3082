import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@tessera/core';

/** Parameters of {@link writeNewFile}. */
export type WriteNewFileParameters = {
  /** The file to write. */
  path: string;
  text: string;
  /** Replace the file when it is there. @default false */
  force?: boolean | undefined;
  /**
   * Make the file readable by its owner only (0600) and the folders it
   * is written into owner-only (0700), for keys. Otherwise the file is 0644 and new folders
   * get mkdir's mode, both less the umask. @default false
   */
  ownerOnly?: boolean | undefined;
  /** The error thrown when the file is there and `force` is not set. */
  exists: (path: string) => Error;
};

/**
 * Writes a run config or a key file with core's `writeFileAtomic` (a hidden file beside it,
 * flushed, then given the name), then flushes the folder's entries, so a reader or a crash
 * sees the whole old file or the whole new one, never a part. Without `force` an existing
 * file is never replaced (`replace: false`: the name is taken with a hard link, which fails
 * when the name is there). No temporary file is left behind, whatever fails.
 *
 * @throws The error `exists` makes when the file is there and `force` is not set.
 * @example
 * await writeNewFile({ path: 'run.json', text, exists: (path) => new BaseError(`${path} exists already.`) });
 */
export async function writeNewFile(parameters: WriteNewFileParameters): Promise<void> {
  const { path, ownerOnly } = parameters;
  const folder = dirname(path);
  if (ownerOnly) {
    await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
  }
  try {
    await writeFileAtomic({
      path,
      bytes: parameters.text,
      mode: ownerOnly ? 0o600 : 0o644,
      replace: parameters.force === true,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw parameters.exists(path);
    throw error;
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
