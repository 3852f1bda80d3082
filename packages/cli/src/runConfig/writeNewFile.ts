import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BaseError } from '@tessera/core';

/**
 * Writes a file atomically (a hidden file beside it, flushed, then given its name) so a reader
 * sees the whole file or none of it. Without `force` an existing file is never replaced: the
 * name is taken with a hard link, which fails when the name exists, instead of racing a check.
 *
 * @throws BaseError when the file exists and `force` is not set.
 * @example
 * await writeNewFile({ path: 'run.json', text, force: false });
 */
export async function writeNewFile(parameters: {
  path: string;
  text: string;
  force: boolean;
}): Promise<void> {
  const { path, text } = parameters;
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const staging = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(staging, 'wx', 0o644);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (parameters.force) await rename(staging, path);
    else await link(staging, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new BaseError(`${path} exists already.`, {
        hint: 'Pass --force to replace it, or --out another file.',
      });
    }
    throw error;
  } finally {
    await rm(staging, { force: true });
  }
}
