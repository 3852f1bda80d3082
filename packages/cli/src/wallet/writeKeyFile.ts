import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WalletError } from './walletError.js';

/**
 * Writes a key file readable by its owner only (0600), creating its folders owner-only (0700),
 * atomically: the text goes to a hidden file beside it, is flushed to disk, then takes the
 * file's name, so a reader or a crash sees the whole old file or the whole new one, never a
 * part. Without `force` an existing file is never replaced: the name is taken with a hard link,
 * which fails when the name is there, instead of racing a check.
 *
 * @throws WalletError `exists` when the file is there and `force` is not set.
 * @example
 * await writeKeyFile({ path: layout.evm('default'), text: json });
 */
export async function writeKeyFile(parameters: {
  path: string;
  text: string;
  force?: boolean | undefined;
}): Promise<void> {
  const { path, text } = parameters;
  const folder = dirname(path);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(folder, 0o700);
  const staging = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(staging, 'wx', 0o600);
  try {
    try {
      await handle.chmod(0o600);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (parameters.force) await rename(staging, path);
    else await link(staging, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new WalletError('exists', `${path} exists already.`, {
        hint: 'Pass --force to replace it (the key in it is lost unless you have a copy), or choose another --wallet or --hotkey-name.',
      });
    }
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
