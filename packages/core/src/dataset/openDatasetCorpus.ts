import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { keccak256 } from 'ethers';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { concatTokenStreams, corpusFromStreams } from '../data/createCorpus.js';
import type { Corpus } from '../data/createCorpus.js';
import { createGpt2Tokenizer } from '../data/createGpt2Tokenizer.js';
import { DatasetError } from '../errors/dataset.js';
import { createStoreRouter } from '../storage/createStoreRouter.js';
import type { StoreRouter } from '../storage/createStoreRouter.js';
import { writeFileAtomic } from '../storage/writeFileAtomic.js';
import { datasetFileName, maxManifestBytes, parseDatasetManifest } from './datasetManifest.js';
import type { DatasetManifest } from './datasetManifest.js';

/** Parameters of {@link openDatasetCorpus}. */
export type OpenDatasetCorpusParameters = {
  /** keccak256 of the manifest: the run config's `dataset.manifest`. */
  manifest: `0x${string}`;
  /**
   * Where the dataset's files are, tried in order for every file: folders (a path or
   * `file://`), `http(s)://` and, with an `s3` reader in `router`, `s3://bucket/prefix` bases.
   */
  mirrors: readonly string[];
  /** Input tokens per page (the run's `pageTokens`). */
  pageTokens: number;
  /** Verified files are kept under `<cacheDir>/datasets/`, by digest. @default '.tessera/cache' */
  cacheDir?: string | undefined;
  /**
   * Reads mirror URIs. @default file and HTTP(S) URIs anywhere, private addresses allowed:
   * the mirrors are the operator's own choice, and every byte is checked against a digest.
   */
  router?: StoreRouter | undefined;
  /** Time limit per file, in milliseconds. @default 120000 */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
};

/**
 * Loads a dataset as a {@link Corpus}, the same interface the Brown Corpus has: fetches the
 * manifest and each shard from the first mirror that serves bytes matching their digest
 * (a mirror that fails or serves other bytes is logged and the next one tried), keeps them
 * in the local cache by digest, and cuts the training and held-out streams into pages by
 * the same rule as the Brown Corpus. No single mirror can change or withhold the data while
 * another one serves it.
 *
 * @returns The corpus, with the dataset's tokenizer.
 * @throws DatasetError `unavailable` when no mirror serves a file with the right digest
 *   (every mirror's failure listed), `bad-manifest` for a manifest that breaks its schema
 *   or holds tokens outside its vocabulary, `invalid-parameter` for bad mirrors.
 * @example
 * const corpus = await openDatasetCorpus({ manifest: run.dataset.manifest, mirrors: ['https://data.example/ds'], pageTokens: 64 });
 */
export async function openDatasetCorpus(parameters: OpenDatasetCorpusParameters): Promise<Corpus> {
  const { pageTokens } = parameters;
  const logger = parameters.logger ?? silentLogger;
  if (!/^0x[0-9a-fA-F]{64}$/.test(parameters.manifest)) {
    throw new DatasetError('invalid-parameter', 'The dataset manifest digest must be 0x and 64 hex digits.', {
      details: `manifest: ${String(parameters.manifest).slice(0, 80)}`,
    });
  }
  if (!Number.isSafeInteger(pageTokens) || pageTokens < 1 || pageTokens > 1 << 20) {
    throw new DatasetError('invalid-parameter', 'pageTokens must be a positive integer.', {
      details: `pageTokens: ${pageTokens}`,
    });
  }
  const mirrors = parameters.mirrors.map(datasetMirrorBase);
  if (mirrors.length === 0) {
    throw new DatasetError('invalid-parameter', 'The dataset has no mirrors to read from.', {
      hint: 'List mirrors in the run config (dataset.mirrors) or in the role options.',
    });
  }
  const cacheDir = join(resolve(parameters.cacheDir ?? '.tessera/cache'), 'datasets');
  const router = parameters.router ?? createStoreRouter({ http: { blockPrivateAddresses: false } });
  const timeoutMs = parameters.timeoutMs ?? 120_000;
  const digest = parameters.manifest.toLowerCase() as `0x${string}`;

  const fetchVerified = async (
    name: string,
    maxBytes: number,
    check: (bytes: Uint8Array, source: string) => void,
  ): Promise<Uint8Array> => {
    const cached = join(cacheDir, name);
    try {
      const bytes = new Uint8Array(await readFile(cached));
      check(bytes, cached);
      return bytes;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.warn('dataset cache file refused, fetching again', { path: cached, reason: String(error) });
      }
    }
    const failures: string[] = [];
    for (const base of mirrors) {
      const uri = `${base}/${name}`;
      try {
        const bytes = await router.get({ uri, maxBytes, timeoutMs, signal: parameters.signal });
        check(bytes, uri);
        await writeFileAtomic({ path: cached, bytes }).catch((error: unknown) =>
          logger.warn('dataset cache file not written', { path: cached, reason: String(error) }),
        );
        return bytes;
      } catch (error) {
        parameters.signal?.throwIfAborted();
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        logger.warn('dataset mirror refused', { uri, reason });
        failures.push(`${uri}: ${reason}`);
      }
    }
    throw new DatasetError('unavailable', `No mirror served ${name} with the right digest.`, {
      details: failures.join('\n'),
      hint: 'Add a mirror that holds the dataset, or check the manifest digest in the run config.',
    });
  };

  let manifest: DatasetManifest | undefined;
  await fetchVerified(datasetFileName({ digest, kind: 'manifest' }), maxManifestBytes, (bytes, source) => {
    manifest = parseDatasetManifest({ bytes, digest, source });
  });
  const checked = manifest as DatasetManifest;
  const tokenizer = createGpt2Tokenizer();
  if (checked.tokenizer.id !== tokenizer.id || checked.tokenizer.vocabSize !== tokenizer.vocabSize) {
    throw new DatasetError('bad-manifest', "The manifest's tokenizer is not GPT-2's.", {
      details: `id ${checked.tokenizer.id}, vocabSize ${checked.tokenizer.vocabSize}`,
    });
  }

  const streams = { train: [] as Uint32Array[], 'held-out': [] as Uint32Array[] };
  for (const [i, shard] of checked.shards.entries()) {
    const bytes = await fetchVerified(
      datasetFileName({ digest: shard.digest, kind: 'shard' }),
      shard.tokens * 4,
      (data, source) => {
        const actual = keccak256(data);
        if (actual !== shard.digest || data.length !== shard.tokens * 4) {
          throw new DatasetError('digest-mismatch', 'Dataset shard does not match its digest.', {
            details: `${source}: keccak256 ${actual} (${data.length} bytes), expected ${shard.digest} (${shard.tokens * 4} bytes)`,
          });
        }
      },
    );
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const tokens = new Uint32Array(shard.tokens);
    for (let t = 0; t < tokens.length; t++) {
      const token = view.getUint32(t * 4, true);
      if (token >= checked.tokenizer.vocabSize) {
        throw new DatasetError('bad-manifest', 'A dataset shard holds a token outside its vocabulary.', {
          details: `shard ${i} (${shard.digest}), token ${t}: ${token} >= ${checked.tokenizer.vocabSize}`,
        });
      }
      tokens[t] = token;
    }
    streams[shard.split].push(tokens);
  }
  logger.info('dataset loaded', { manifest: digest, name: checked.name, shards: checked.shards.length });
  return corpusFromStreams({
    tokenizer,
    pageTokens,
    train: concatTokenStreams(streams.train),
    heldOut: concatTokenStreams(streams['held-out']),
  });
}

/**
 * A dataset mirror as a URI base without a trailing slash: a folder path becomes `file://`,
 * a URI stays as it is. Every reader of a mirror joins file names to this.
 *
 * @throws DatasetError `invalid-parameter` for an empty mirror or one over 2048 characters.
 * @example
 * datasetMirrorBase('data/brown/'); // 'file:///home/me/data/brown'
 */
export function datasetMirrorBase(mirror: string): string {
  if (typeof mirror !== 'string' || mirror.length === 0 || mirror.length > 2048) {
    throw new DatasetError(
      'invalid-parameter',
      'A dataset mirror must be a path or URI of 1 to 2048 characters.',
      {
        details: `mirror: ${String(mirror).slice(0, 80)}`,
      },
    );
  }
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(mirror)
    ? mirror
    : pathToFileURL(isAbsolute(mirror) ? mirror : resolve(mirror)).href;
  return base.replace(/\/+$/, '');
}
