import { readdir } from 'node:fs/promises';
import { ConfigError } from '@tessera/core';

/** A file a dataset mirror holds: a shard (`<hex>.tokens`) or a manifest (`<hex>.manifest.json`). */
const mirrorFile = /^[0-9a-f]{64}\.(?:tokens|manifest\.json)$/;

/**
 * Refuses to build a dataset into a folder that holds anything but another dataset's files,
 * unless `force`: a build writes shards by digest beside what is there, and a folder of
 * other files would become a mirror that serves them too. A missing or empty folder, or a
 * dataset mirror (shards of several builds share one), is fine.
 *
 * @throws ConfigError naming `--out` and the first stray entries.
 * @example
 * await checkDatasetOutDir({ outDir: options.out, force: options.force });
 */
export async function checkDatasetOutDir(parameters: { outDir: string; force: boolean }): Promise<void> {
  const { outDir, force } = parameters;
  let entries: string[];
  try {
    entries = await readdir(outDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const stray = entries.filter((name) => !mirrorFile.test(name));
  if (stray.length === 0 || force) return;
  throw new ConfigError(
    [
      {
        field: 'out',
        source: 'flag',
        name: '--out',
        problem: `${outDir} holds files that are not a dataset's (${stray.slice(0, 3).join(', ')}${stray.length > 3 ? `, and ${stray.length - 3} more` : ''})`,
      },
    ],
    { hint: 'Give an empty or new folder, a dataset mirror folder, or --force to write beside them.' },
  );
}
