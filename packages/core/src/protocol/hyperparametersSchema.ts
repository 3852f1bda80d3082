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
    runSeed: Type.String({
      description: "The run's seed, 32 bytes as 0x hex; mixed into every assignment.",
      pattern: '^0x[0-9a-fA-F]{64}$',
      default: '0x10f42334074a9e935b958c12aba36e6a471d5246a759e0d09d772247b0cbf71b',
    }),
    modelPreset: Type.String({
      description: 'Name of the model preset every participant builds (tiny, small, gpu-50m, gpu-150m).',
      pattern: '^[a-z0-9][a-z0-9-]{0,63}$',
      default: 'tiny',
    }),
    blocksPerWindow: int('Chain blocks per window.', 10),
    windowsPerEpoch: int('Windows per epoch; weights go on chain once per epoch.', 6),
    deadlineGraceBlocks: int('Blocks after the next window starts that commitments still count.', 2, {
      minimum: 0,
    }),
    innerSteps: int('AdamW steps a miner takes per window (H).', 8),
    innerLearningRate: positive("Miners' AdamW learning rate.", 3e-3),
    weightDecay: Type.Number({
      description: "Miners' AdamW decoupled weight decay.",
      default: 0.01,
      minimum: 0,
    }),
    outerLearningRate: positive(
      'η_outer: step size of the aggregate, and of θ_w − η·Δ̂ when validators score an update.',
      1,
    ),
    scoreStepScale: positive(
      'Validators score θ_w − η_outer·scoreStepScale·Δ̂: the step one update takes inside a full aggregate.',
      0.125,
      1,
    ),
    batchSize: int('Sequences per inner step.', 8),
    pagesPerWindow: int('Training pages assigned to each miner per window.', 4),
    pageTokens: int('Tokens per corpus page.', 64, { minimum: 2 }),
    shards: int('Shards the parameter vector is cut into (S); each update covers one.', 1, {
      maximum: 0xffff,
    }),
    chunkSize: int('Entries per compression chunk.', 1024, { maximum: 1 << 24 }),
    topK: int('Entries kept per chunk.', 64, { maximum: 1 << 24 }),
    quantBits: Type.Union([Type.Literal(2), Type.Literal(8), Type.Literal(32)], {
      description: 'Bits per kept value: 2, 8, or 32 (raw float32, for debugging).',
      default: 8,
    }),
    maxUpdateBytes: int('Largest update a validator downloads, in bytes.', 8 << 20, { minimum: 64 }),
    aggregationSize: int('Updates in each aggregate (G): the best-scoring valid ones.', 8),
    checkpointEveryWindows: int('Windows between full checkpoints (K).', 10),
    scoreEmaAlpha: positive('α of the per-uid score moving average s ← (1−α)·s + α·score.', 0.3, 1),
    weightPower: positive('Power that sharpens averaged scores into weights.', 3, 64),
    proofMargin: Type.Number({
      description:
        'Proof of assignment: own-page improvement must beat unseen-page improvement by this many times max(|unseen|, ε).',
      default: 1,
      minimum: 0,
    }),
    copyCosine: Type.Number({
      description:
        'An update whose cosine with an earlier commitment of the same window exceeds this is a copy: scored on what remains once that direction is taken out, and kept out of the aggregate.',
      default: 0.3,
      exclusiveMinimum: 0,
      maximum: 1,
    }),
    scoreNormFraction: Type.Number({
      description:
        "Updates (and the validator's reference) are scored as if their L2 norm were at most this fraction of the reference norm, so an honest update, whose norm is about the reference's, gains nothing from being made larger.",
      default: 0.9,
      exclusiveMinimum: 0,
      maximum: 1,
    }),
    normTolerance: Type.Number({
      description:
        'An update whose L2 norm exceeds this many reference norms has its window score multiplied by (normTolerance · ρ / norm)².',
      default: 1.5,
      minimum: 1,
    }),
    maxRelativeScore: Type.Number({
      description: "Largest window score, in units of the validator's reference update.",
      default: 3,
      exclusiveMinimum: 0,
    }),
    heldOutPages: int('Held-out pages the reported model loss is measured on (no score uses them).', 4),
    evalPages: int('Unseen training pages (assigned to no miner) each update is scored on.', 8),
  },
  { additionalProperties: false },
);

/**
 * A run's hyperparameters: every miner and validator of the run uses the same ones.
 * Parse with {@link parseHyperparameters}; start from {@link hyperparameterPresets}.
 */
export type Hyperparameters = {
  /** The run's seed, 32 bytes as `0x` hex; mixed into every assignment. @default keccak256('tessera devnet') */
  readonly runSeed: string;
  /** Name of the model preset every participant builds (`tiny`, `small`, `gpu-50m`, `gpu-150m`). @default 'tiny' */
  readonly modelPreset: string;
  /** Chain blocks per window. @default 10 */
  readonly blocksPerWindow: number;
  /** Windows per epoch; weights go on chain once per epoch. @default 6 */
  readonly windowsPerEpoch: number;
  /** Blocks after the next window starts that commitments still count; below `blocksPerWindow`. @default 2 */
  readonly deadlineGraceBlocks: number;
  /** AdamW steps a miner takes per window (H). @default 8 */
  readonly innerSteps: number;
  /** Miners' AdamW learning rate. @default 0.003 */
  readonly innerLearningRate: number;
  /** Miners' AdamW decoupled weight decay. @default 0.01 */
  readonly weightDecay: number;
  /**
   * η_outer: the step size of the aggregate, `θ_{w+1} = θ_w − η·mean(Δ̂)`, and of
   * `θ_w − η·Δ̂` when validators score a single update. 1 averages the miners' models.
   * @default 1
   */
  readonly outerLearningRate: number;
  /**
   * Validators score an update at `θ_w − η_outer · scoreStepScale · Δ̂`, the step it takes
   * inside an aggregate of `1/scoreStepScale` updates. Scoring at the full step measures the
   * miner's over-fitted local model, which hurts held-out loss once error feedback builds
   * up even when the averaged aggregate helps. In (0, 1].
   * @default 0.125
   */
  readonly scoreStepScale: number;
  /** Sequences per inner step. @default 8 */
  readonly batchSize: number;
  /** Training pages assigned to each miner per window. @default 4 */
  readonly pagesPerWindow: number;
  /** Tokens per corpus page. @default 64 */
  readonly pageTokens: number;
  /** Shards the parameter vector is cut into (S); each update covers one. @default 1 */
  readonly shards: number;
  /** Entries per compression chunk, up to 2^24. @default 1024 */
  readonly chunkSize: number;
  /** Entries kept per chunk, at most `chunkSize`. @default 64 */
  readonly topK: number;
  /** Bits per kept value: 2, 8, or 32 (raw float32, for debugging). @default 8 */
  readonly quantBits: 2 | 8 | 32;
  /** Largest update a validator downloads, in bytes. @default 8388608 (8 MiB) */
  readonly maxUpdateBytes: number;
  /** Updates in each aggregate (G): the best-scoring valid ones. @default 8 */
  readonly aggregationSize: number;
  /** Windows between full checkpoints (K). @default 10 */
  readonly checkpointEveryWindows: number;
  /** α of the per-uid score moving average `s ← (1−α)·s + α·score`, in (0, 1]. @default 0.3 */
  readonly scoreEmaAlpha: number;
  /**
   * Power that sharpens averaged scores into weights, `s^p / Σ s^p`. Scores grow more slowly
   * than work (a miner doing 1/8 of the steps scores about 0.27 of an honest one, see
   * docs/protocol.md), so p must exceed about 2 for reward per unit of work not to favour
   * doing less. @default 3
   */
  readonly weightPower: number;
  /**
   * Proof of assignment: an update is rejected `not-assigned` unless
   * `own − unseen > proofMargin · max(|unseen|, ε)`; see docs/protocol.md for how it was
   * measured (honest updates at least 1.45; the window score, not this gate, is what keeps
   * updates trained elsewhere from earning).
   * @default 1
   */
  readonly proofMargin: number;
  /**
   * An update whose cosine with an earlier commitment of the same window exceeds this is a
   * copy: it is scored on what remains once that direction is taken out, and stays out of
   * the aggregate. In (0, 1]; honest pairs measured at most 0.17 (docs/protocol.md).
   * @default 0.3
   */
  readonly copyCosine: number;
  /**
   * Updates, and the validator's reference update, are scored as if their L2 norm were at
   * most `scoreNormFraction · ρ` (ρ the reference's norm). Honest updates come out at
   * 0.94–1.03 ρ, so below 1 every one of them is scored at the same norm and a larger
   * update (scaled) gains nothing; the aggregate still clips at ρ. @default 0.9
   */
  readonly scoreNormFraction: number;
  /**
   * An update whose L2 norm exceeds `normTolerance · ρ` has its window score multiplied by
   * `(normTolerance · ρ / norm)²`: no honest update is that loud. @default 1.5
   */
  readonly normTolerance: number;
  /** Largest window score, in units of the validator's reference update. @default 3 */
  readonly maxRelativeScore: number;
  /** Held-out pages the reported model loss is measured on; no score uses them. @default 4 */
  readonly heldOutPages: number;
  /** Unseen training pages (assigned to no miner in the window) each update is scored on. @default 8 */
  readonly evalPages: number;
};

// The hand-written type (which carries the docs) and the schema must agree exactly.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesType: Same<Readonly<Static<typeof hyperparametersSchema>>, Hyperparameters> = true;
void schemaMatchesType;
