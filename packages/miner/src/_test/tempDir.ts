import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Makes a fresh folder under the system temp folder.
 *
 * @returns Its path and a cleanup that removes it with everything inside.
 * @example
 * const dir = await tempDir();
 * afterEach(() => dir.cleanup());
 */
export async function tempDir(
  prefix = 'tessera-miner-test-',
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}
