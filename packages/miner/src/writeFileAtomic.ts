import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Parameters of {@link writeFileAtomic}. */
export type WriteFileAtomicParameters = {
  path: string;
  bytes: Uint8Array;
};

/**
 * Writes a file so that readers see the old content or the new one, never half of it: the
 * bytes go to a temporary file in the same folder, are flushed to disk, then renamed over
 * `path`. The folder is created when missing; the temporary file is removed on failure.
 *
 * @example
 * await writeFileAtomic({ path: join(stateDir, 'miner.json'), bytes: new TextEncoder().encode(json) });
 */
export async function writeFileAtomic(parameters: WriteFileAtomicParameters): Promise<void> {
  const { path, bytes } = parameters;
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
