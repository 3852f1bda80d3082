import {
  BaseError,
  datasetFileName,
  datasetMirrorBase,
  maxManifestBytes,
  parseDatasetManifest,
} from '@tessera/core';
import type { DatasetManifest, StoreRouter } from '@tessera/core';
import { keccak256 } from 'ethers';

/** Parameters of {@link verifyDatasetMirror}. */
export type VerifyDatasetMirrorParameters = {
  /** keccak256 of the manifest, as the run config names it. */
  manifest: `0x${string}`;
  /** The mirror: a folder, `file://`, `http(s)://` or (with an S3 reader in `router`) `s3://` base. */
  mirror: string;
  router: StoreRouter;
  /** Time limit per file, in milliseconds. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Called after each shard is checked, for progress. */
  onShard?: ((checked: { index: number; ok: boolean }) => void) | undefined;
};

/** What one mirror serves of a dataset: see {@link verifyDatasetMirror}. */
export type DatasetMirrorReport = {
  mirror: string;
  /** Whether the manifest and every shard came back with the right digest. */
  ok: boolean;
  /** Why the manifest was refused; then no shard was checked. */
  manifestError?: string | undefined;
  manifest?: DatasetManifest | undefined;
  /** Shards served with the right digest. */
  goodShards: number;
  /** Shards missing or with other bytes: their index, digest and why. */
  badShards: { index: number; digest: string; reason: string }[];
};

/**
 * Checks that one mirror serves a whole dataset: fetches its manifest and every shard from
 * that mirror alone (no cache, no other mirror), each checked against its digest, one at a
 * time so memory stays at one shard. A mirror operator runs it after copying a dataset.
 *
 * @returns Every shard that is missing or wrong, not only the first.
 * @example
 * const report = await verifyDatasetMirror({ manifest, mirror: 'https://data.example/ds', router, timeoutMs: 120_000 });
 */
export async function verifyDatasetMirror(
  parameters: VerifyDatasetMirrorParameters,
): Promise<DatasetMirrorReport> {
  const { router, timeoutMs, signal } = parameters;
  const digest = parameters.manifest.toLowerCase() as `0x${string}`;
  const base = datasetMirrorBase(parameters.mirror);
  const report: DatasetMirrorReport = { mirror: parameters.mirror, ok: false, goodShards: 0, badShards: [] };
  let manifest: DatasetManifest;
  try {
    const uri = `${base}/${datasetFileName({ digest, kind: 'manifest' })}`;
    const bytes = await router.get({ uri, maxBytes: maxManifestBytes, timeoutMs, signal });
    manifest = parseDatasetManifest({ bytes, digest, source: uri });
  } catch (error) {
    signal?.throwIfAborted();
    report.manifestError = reasonOf(error);
    return report;
  }
  report.manifest = manifest;
  for (const [index, shard] of manifest.shards.entries()) {
    let reason: string | undefined;
    try {
      const uri = `${base}/${datasetFileName({ digest: shard.digest, kind: 'shard' })}`;
      const bytes = await router.get({ uri, maxBytes: shard.tokens * 4, timeoutMs, signal });
      const actual = keccak256(bytes);
      if (actual !== shard.digest || bytes.length !== shard.tokens * 4) {
        reason = `keccak256 ${actual} (${bytes.length} bytes), expected ${shard.tokens * 4} bytes hashing to the digest`;
      }
    } catch (error) {
      signal?.throwIfAborted();
      reason = reasonOf(error);
    }
    if (reason === undefined) report.goodShards++;
    else report.badShards.push({ index, digest: shard.digest, reason });
    parameters.onShard?.({ index, ok: reason === undefined });
  }
  report.ok = report.badShards.length === 0;
  return report;
}

function reasonOf(error: unknown): string {
  if (error instanceof BaseError) {
    return error.details ? `${error.shortMessage} ${error.details.split('\n')[0]}` : error.shortMessage;
  }
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}
