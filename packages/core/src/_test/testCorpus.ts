import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCorpus } from '../data/createCorpus.js';
import type { Corpus } from '../data/createCorpus.js';

/**
 * The Brown Corpus as `tiny`-sized pages (vocabulary 512), cached in one folder under the
 * system temp folder that every test run shares: the first run tokenizes (~3 s), later
 * ones read the cache.
 *
 * @example
 * const corpus = await testCorpus({ pageTokens: 32 });
 */
export function testCorpus(parameters: { pageTokens: number; vocabSize?: number }): Promise<Corpus> {
  return createCorpus({
    vocabSize: parameters.vocabSize ?? 512,
    pageTokens: parameters.pageTokens,
    cacheDir: join(tmpdir(), 'tessera-test-cache'),
  });
}
