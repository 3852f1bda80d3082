import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCorpus } from '@tessera/core';
import type { Corpus } from '@tessera/core';

/**
 * The Brown Corpus as `tiny`-sized pages (vocabulary 512), cached in the same folder under
 * the system temp folder as core's tests use: the first run tokenizes (~3 s), later ones
 * read the cache.
 *
 * @example
 * const corpus = await testCorpus({ pageTokens: 64 });
 */
export function testCorpus(parameters: { pageTokens: number; vocabSize?: number }): Promise<Corpus> {
  return createCorpus({
    vocabSize: parameters.vocabSize ?? 512,
    pageTokens: parameters.pageTokens,
    cacheDir: join(tmpdir(), 'tessera-test-cache'),
  });
}
