import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { keccak256 } from 'ethers';
import { heldOutDocumentEvery } from '../data/createCorpus.js';
import { createGpt2Tokenizer } from '../data/createGpt2Tokenizer.js';
import { DatasetError } from '../errors/dataset.js';
import { writeFileAtomic } from '../storage/writeFileAtomic.js';
import { datasetFileName, maxShardTokens, parseDatasetManifest } from './datasetManifest.js';
import type { DatasetManifest } from './datasetManifest.js';

/** Parameters of {@link buildDataset}. */
export type BuildDatasetParameters = {
  /** The documents, in order (their order decides the held-out split). */
  documents: readonly string[];
  /** The tokenizer; only GPT-2's BPE for now. */
  tokenizer: 'gpt2';
  /** Most tokens per shard; the last shard of each split may hold fewer. */
  shardTokens: number;
  /** Folder the shards and the manifest are written to (a mirror's layout). */
  outDir: string;
  /** Name recorded in the manifest. @default 'dataset' */
  name?: string | undefined;
};

/** What {@link buildDataset} wrote. */
export type BuildDatasetResult = {
  /** keccak256 of the manifest's bytes: the run config's `dataset.manifest`. */
  digest: `0x${string}`;
  manifest: DatasetManifest;
  /** Path of the manifest file (`<digest hex>.manifest.json` in `outDir`). */
  manifestPath: string;
};

/**
 * Tokenizes documents into a dataset: each document's tokens followed by the end-of-text
 * token, document `i` going to the held-out stream when `i % heldOutDocumentEvery ===
 * heldOutDocumentEvery - 1` (the Brown Corpus's rule) and to the training stream otherwise.
 * Each stream is cut into shards of `shardTokens` tokens, written as u32 little-endian ids
 * under their keccak-256 digest, and the manifest lists them in stream order.
 *
 * Deterministic: the same documents and settings give the same bytes and digests.
 *
 * @returns The manifest digest, the manifest and its path.
 * @throws DatasetError `invalid-parameter` for a bad shard size, or fewer documents than it
 *   takes to hold one out (20).
 * @example
 * const { digest } = await buildDataset({ documents, tokenizer: 'gpt2', shardTokens: 1 << 20, outDir: 'data/' });
 */
export async function buildDataset(parameters: BuildDatasetParameters): Promise<BuildDatasetResult> {
  const { documents, shardTokens, outDir } = parameters;
  if (!Number.isSafeInteger(shardTokens) || shardTokens < 2 || shardTokens > maxShardTokens) {
    throw new DatasetError(
      'invalid-parameter',
      `shardTokens must be an integer from 2 to ${maxShardTokens}.`,
      {
        details: `shardTokens: ${shardTokens}`,
      },
    );
  }
  if (parameters.tokenizer !== 'gpt2') {
    throw new DatasetError('invalid-parameter', 'Unknown tokenizer.', {
      details: `tokenizer: ${String(parameters.tokenizer)}`,
      hint: 'Use gpt2.',
    });
  }
  if (documents.length < heldOutDocumentEvery) {
    throw new DatasetError(
      'invalid-parameter',
      `A dataset needs at least ${heldOutDocumentEvery} documents.`,
      {
        details: `${documents.length} documents; one in ${heldOutDocumentEvery} is held out, so fewer would leave no held-out split`,
        hint: 'Give more files, or a .jsonl file with one document a line.',
      },
    );
  }
  const tokenizer = createGpt2Tokenizer();
  const streams = { train: [] as number[][], 'held-out': [] as number[][] };
  const counts = { train: 0, heldOut: 0 };
  documents.forEach((text, i) => {
    const heldOut = i % heldOutDocumentEvery === heldOutDocumentEvery - 1;
    const ids = Array.from(tokenizer.encode(text));
    ids.push(tokenizer.endOfText);
    (heldOut ? streams['held-out'] : streams.train).push(ids);
    if (heldOut) counts.heldOut++;
    else counts.train++;
  });

  await mkdir(outDir, { recursive: true });
  const shards: DatasetManifest['shards'][number][] = [];
  for (const split of ['train', 'held-out'] as const) {
    const stream = Uint32Array.from(streams[split].flat());
    for (let start = 0; start < stream.length; start += shardTokens) {
      const tokens = stream.subarray(start, Math.min(stream.length, start + shardTokens));
      const bytes = new Uint8Array(tokens.length * 4);
      const view = new DataView(bytes.buffer);
      tokens.forEach((token, i) => view.setUint32(i * 4, token, true));
      const digest = keccak256(bytes) as `0x${string}`;
      await writeFileAtomic({ path: join(outDir, datasetFileName({ digest, kind: 'shard' })), bytes });
      shards.push({ digest, split, tokens: tokens.length });
    }
  }
  const manifest: DatasetManifest = {
    format: 'tessera-dataset',
    version: 1,
    name: parameters.name ?? 'dataset',
    tokenizer: {
      name: 'gpt2',
      id: tokenizer.id,
      vocabSize: tokenizer.vocabSize,
      endOfText: tokenizer.endOfText,
    },
    heldOutDocumentEvery,
    documents: counts,
    shards,
  };
  const bytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const digest = keccak256(bytes) as `0x${string}`;
  const manifestPath = join(outDir, datasetFileName({ digest, kind: 'manifest' }));
  await writeFileAtomic({ path: manifestPath, bytes });
  return { digest, manifest: parseDatasetManifest({ bytes, digest }), manifestPath };
}
