import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';

const int = (description: string, fallback: number, options: { minimum?: number; maximum?: number } = {}) =>
  Type.Integer({ description, default: fallback, minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...options });
const positive = (description: string, fallback: number, maximum?: number) =>
  Type.Number({
    description,
    default: fallback,
    exclusiveMinimum: 0,
    ...(maximum === undefined ? {} : { maximum }),
  });

/**
 * TypeBox schema of a run's {@link Hyperparameters}; the defaults are the `tiny` preset.
 * Use {@link parseHyperparameters} rather than checking against it directly: it also
 * applies the defaults and the checks that span fields.
 */
export const hyperparametersSchema = Type.Object(
  {
    /** The run's seed, 32 bytes as `0x` hex; mixed into every assignment. @default keccak256('tessera devnet') */
    runSeed: Type.Unsafe<`0x${string}`>(
      Type.String({
        description: "The run's seed, 32 bytes as 0x hex; mixed into every assignment.",
        pattern: '^0x[0-9a-fA-F]{64}$',
        default: '0x10f42334074a9e935b958c12aba36e6a471d5246a759e0d09d772247b0cbf71b',
      }),
    ),
    /** Name of the model preset every participant builds (`tiny`, `small`, `gpu-50m`, `gpu-150m`). @default 'tiny' */
    modelPreset: Type.String({
      description: 'Name of the model preset every participant builds (tiny, small, gpu-50m, gpu-150m).',
      pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
      default: 'tiny',
    }),
    /** Chain blocks per window. @default 10 */
    blocksPerWindow: int('Chain blocks per window.', 10),
    /** Windows per epoch; weights go on chain once per epoch. @default 6 */
    windowsPerEpoch: int('Windows per epoch; weights go on chain once per epoch.', 6),
    /** Blocks after the next window starts that commitments still count; below `blocksPerWindow`. @default 2 */
    deadlineGraceBlocks: int('Blocks after the next window starts that commitments still count.', 2, {
      minimum: 0,
    }),
    /** AdamW steps a miner takes per window (H). @default 8 */
    innerSteps: int('AdamW steps a miner takes per window (H).', 8),
    /** Miners' AdamW learning rate. @default 0.003 */
    innerLearningRate: positive("Miners' AdamW learning rate.", 3e-3),
    /** Miners' AdamW decoupled weight decay. @default 0.01 */
    weightDecay: Type.Number({
      description: "Miners' AdamW decoupled weight decay.",
      default: 0.01,
      minimum: 0,
    }),
    /**
     * η_outer: the step size of the aggregate, `θ_{w+1} = θ_w − η·mean(Δ̂)`, and of
     * `θ_w − η·Δ̂` when validators score a single update. 1 averages the miners' models.
     * @default 1
     */
    outerLearningRate: positive(
      'η_outer: step size of the aggregate, and of θ_w − η·Δ̂ when validators score an update.',
      1,
    ),
    /**
     * Validators score an update at `θ_w − η_outer · scoreStepScale · Δ̂`, the step it takes
     * inside an aggregate of `1/scoreStepScale` updates. Scoring at the full step measures the
     * miner's over-fitted local model, which hurts held-out loss once error feedback builds
     * up even when the averaged aggregate helps. In (0, 1].
     * @default 0.125
     */
    scoreStepScale: positive(
      'Validators score θ_w − η_outer·scoreStepScale·Δ̂: the step one update takes inside a full aggregate.',
      0.125,
      1,
    ),
    /** Sequences per inner step. @default 8 */
    batchSize: int('Sequences per inner step.', 8),
    /** Training pages assigned to each miner per window. @default 4 */
    pagesPerWindow: int('Training pages assigned to each miner per window.', 4),
    /** Tokens per corpus page. @default 64 */
    pageTokens: int('Tokens per corpus page.', 64, { minimum: 2 }),
    /** Shards the parameter vector is cut into (S); each update covers one. @default 1 */
    shards: int('Shards the parameter vector is cut into (S); each update covers one.', 1, {
      maximum: 0xffff,
    }),
    /** Entries per compression chunk, up to 2^24. @default 1024 */
    chunkSize: int('Entries per compression chunk.', 1024, { maximum: 1 << 24 }),
    /** Entries kept per chunk, at most `chunkSize`. @default 64 */
    topK: int('Entries kept per chunk.', 64, { maximum: 1 << 24 }),
    /** Bits per kept value: 2, 8, or 32 (raw float32, for debugging). @default 8 */
    quantBits: Type.Union([Type.Literal(2), Type.Literal(8), Type.Literal(32)], {
      description: 'Bits per kept value: 2, 8, or 32 (raw float32, for debugging).',
      default: 8,
    }),
    /** Largest update a validator downloads, in bytes. @default 8388608 (8 MiB) */
    maxUpdateBytes: int('Largest update a validator downloads, in bytes.', 8 << 20, { minimum: 64 }),
    /** Updates in each aggregate (G): the best-scoring valid ones. @default 8 */
    aggregationSize: int('Updates in each aggregate (G): the best-scoring valid ones.', 8),
    /** Windows between full checkpoints (K). @default 10 */
    checkpointEveryWindows: int('Windows between full checkpoints (K).', 10),
    /** α of the per-uid score moving average `s ← (1−α)·s + α·score`, in (0, 1]. @default 0.3 */
    scoreEmaAlpha: positive('α of the per-uid score moving average s ← (1−α)·s + α·score.', 0.3, 1),
    /**
     * Power that sharpens averaged scores into weights, `s^p / Σ s^p`. Scores grow more slowly
     * than work (a miner doing 1/8 of the steps scores about 0.27 of an honest one, see
     * docs/protocol.md), so p must exceed about 2 for reward per unit of work not to favour
     * doing less. @default 3
     */
    weightPower: positive('Power that sharpens averaged scores into weights.', 3, 64),
    /**
     * Proof of assignment: an update is rejected `not-assigned` unless
     * `own − unseen > proofMargin · max(|unseen|, ε)`; see docs/protocol.md for how it was
     * measured (honest updates at least 1.45; the window score, not this gate, is what keeps
     * updates trained elsewhere from earning).
     * @default 1
     */
    proofMargin: Type.Number({
      description:
        'Proof of assignment: own-page improvement must beat unseen-page improvement by this many times max(|unseen|, ε).',
      default: 1,
      minimum: 0,
    }),
    /**
     * An update whose cosine with an earlier commitment of the same window exceeds this is a
     * copy: it is scored on what remains once that direction is taken out, and stays out of
     * the aggregate. In (0, 1]; honest pairs measured at most 0.17 (docs/protocol.md).
     * @default 0.3
     */
    copyCosine: Type.Number({
      description:
        'An update whose cosine with an earlier commitment of the same window exceeds this is a copy: scored on what remains once that direction is taken out, and kept out of the aggregate.',
      default: 0.3,
      exclusiveMinimum: 0,
      maximum: 1,
    }),
    /**
     * Updates, and the validator's reference update, are scored as if their L2 norm were at
     * most `scoreNormFraction · ρ` (ρ the reference's norm). Honest updates come out at
     * 0.94–1.03 ρ, so below 1 every one of them is scored at the same norm and a larger
     * update (scaled) gains nothing; the aggregate still clips at ρ. @default 0.9
     */
    scoreNormFraction: Type.Number({
      description:
        "Updates (and the validator's reference) are scored as if their L2 norm were at most this fraction of the reference norm, so an honest update, whose norm is about the reference's, gains nothing from being made larger.",
      default: 0.9,
      exclusiveMinimum: 0,
      maximum: 1,
    }),
    /**
     * An update whose L2 norm exceeds `normTolerance · ρ` has its window score multiplied by
     * `(normTolerance · ρ / norm)²`: no honest update is that loud. @default 1.5
     */
    normTolerance: Type.Number({
      description:
        'An update whose L2 norm exceeds this many reference norms has its window score multiplied by (normTolerance · ρ / norm)².',
      default: 1.5,
      minimum: 1,
    }),
    /** Largest window score, in units of the validator's reference update. @default 3 */
    maxRelativeScore: Type.Number({
      description: "Largest window score, in units of the validator's reference update.",
      default: 3,
      exclusiveMinimum: 0,
    }),
    /** Held-out pages the reported model loss is measured on; no score uses them. @default 4 */
    heldOutPages: int('Held-out pages the reported model loss is measured on (no score uses them).', 4),
    /** Unseen training pages (assigned to no miner in the window) each update is scored on. @default 8 */
    evalPages: int('Unseen training pages (assigned to no miner) each update is scored on.', 8),
    /**
     * The run's training data when not the Brown Corpus: a dataset manifest (docs/datasets.md)
     * named by its keccak-256 digest, and mirrors that serve it (folders, `http(s)://`,
     * `s3://`; roles may add their own). Every file is checked against its digest, so any
     * mirror will do. Left out, the run trains on the embedded Brown Corpus. @default none
     */
    dataset: Type.Optional(
      Type.Object(
        {
          manifest: Type.Unsafe<`0x${string}`>(
            Type.String({
              description: "keccak256 of the dataset's manifest file.",
              pattern: '^0x[0-9a-fA-F]{64}$',
            }),
          ),
          mirrors: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
              description: 'Folders or URIs that serve the manifest and shards, tried in order.',
              maxItems: 64,
            }),
          ),
        },
        {
          description: 'The run dataset: its manifest digest and mirrors; left out, the Brown Corpus.',
          additionalProperties: false,
        },
      ),
    ),
  },
  { additionalProperties: false },
);

/**
 * A run's hyperparameters: every miner and validator of the run uses the same ones. The type
 * is the schema's, so the two cannot drift; each field's documentation is on its schema
 * property. Parse with {@link parseHyperparameters}; start from {@link hyperparameterPresets}.
 */
export type Hyperparameters = Readonly<Static<typeof hyperparametersSchema>>;
