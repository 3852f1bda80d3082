import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { keccak256 } from 'ethers';
import { DatasetError } from '../errors/dataset.js';

const digest = Type.Unsafe<`0x${string}`>(Type.String({ pattern: '^0x[0-9a-f]{64}$' }));

/** Largest manifest read, in bytes (a million shards' entries fit well below it). */
export const maxManifestBytes = 16 << 20;

/** Most tokens one shard may hold (1 GiB of u32 tokens). */
export const maxShardTokens = 1 << 28;

/**
 * The schema of a {@link DatasetManifest}: a dataset of pre-tokenized shards, each named by
 * the keccak-256 digest of its bytes (u32 little-endian token ids, nothing else).
 */
export const datasetManifestSchema = Type.Object(
  {
    format: Type.Literal('tessera-dataset'),
    version: Type.Literal(1),
    /** Free-form name, for people. */
    name: Type.String({ maxLength: 200 }),
    /** The tokenizer the ids belong to; `gpt2` is GPT-2's BPE (`createGpt2Tokenizer`). */
    tokenizer: Type.Object(
      {
        name: Type.Literal('gpt2'),
        /** The tokenizer's id (`createGpt2Tokenizer().id`). */
        id: digest,
        vocabSize: Type.Integer({ minimum: 2, maximum: 1 << 20 }),
        /** Token written after every document. */
        endOfText: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    /** Document `i` of the input (in build order) is held out when `i % heldOutDocumentEvery === heldOutDocumentEvery - 1`. */
    heldOutDocumentEvery: Type.Integer({ minimum: 2, maximum: 1 << 20 }),
    /** Documents in each split. */
    documents: Type.Object(
      {
        train: Type.Integer({ minimum: 0 }),
        heldOut: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    /**
     * The shards in stream order: the training stream is the `train` shards concatenated in
     * this order, the held-out stream the `held-out` ones.
     */
    shards: Type.Array(
      Type.Object(
        {
          digest,
          split: Type.Union([Type.Literal('train'), Type.Literal('held-out')]),
          tokens: Type.Integer({ minimum: 1, maximum: maxShardTokens }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1 << 20 },
    ),
  },
  { additionalProperties: false },
);

/** A dataset manifest; its digest (keccak256 of its bytes) names the dataset in a run config. */
export type DatasetManifest = Readonly<Static<typeof datasetManifestSchema>>;

/** Parameters of {@link parseDatasetManifest}. */
export type ParseDatasetManifestParameters = {
  /** The manifest file's bytes, exactly as fetched. */
  bytes: Uint8Array;
  /** The digest the run config names; the bytes must hash to it. */
  digest: `0x${string}`;
  /** Named in errors. */
  source?: string | undefined;
};

/**
 * Checks a manifest's bytes against the digest that names it, then its schema: the two
 * checks every reader of a dataset makes before trusting a mirror.
 *
 * @returns The manifest, frozen.
 * @throws DatasetError `digest-mismatch` when the bytes hash to something else;
 *   `bad-manifest` when they are not a manifest of this format.
 * @example
 * const manifest = parseDatasetManifest({ bytes, digest: hyperparameters.dataset.manifest });
 */
export function parseDatasetManifest(parameters: ParseDatasetManifestParameters): DatasetManifest {
  const { bytes, source } = parameters;
  const expected = parameters.digest.toLowerCase();
  const actual = keccak256(bytes);
  if (actual !== expected) {
    throw new DatasetError('digest-mismatch', 'Dataset manifest does not match its digest.', {
      details: `${source ?? 'manifest'}: keccak256 ${actual}, expected ${expected}`,
      hint: 'The mirror serves another or a changed manifest; check the run config digest or use another mirror.',
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new DatasetError('bad-manifest', 'Dataset manifest is not JSON.', {
      details: `${source ?? 'manifest'}: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
  if (!Value.Check(datasetManifestSchema, json)) {
    const problems = [...Value.Errors(datasetManifestSchema, json)].slice(0, 5);
    throw new DatasetError('bad-manifest', 'Dataset manifest breaks its schema.', {
      details: problems.map((problem) => `${problem.path || '(root)'}: ${problem.message}`).join('; '),
    });
  }
  const manifest = json as DatasetManifest;
  if (manifest.tokenizer.endOfText >= manifest.tokenizer.vocabSize) {
    throw new DatasetError('bad-manifest', 'Dataset manifest end-of-text token is outside its vocabulary.', {
      details: `endOfText ${manifest.tokenizer.endOfText}, vocabSize ${manifest.tokenizer.vocabSize}`,
    });
  }
  return Object.freeze(manifest);
}

/** The file name of a shard or manifest in a mirror: its digest's hex, then `.tokens` or `.manifest.json`. */
export function datasetFileName(parameters: { digest: string; kind: 'shard' | 'manifest' }): string {
  return `${parameters.digest.slice(2).toLowerCase()}${parameters.kind === 'shard' ? '.tokens' : '.manifest.json'}`;
}
