import type {
  Assignment,
  CompressedUpdate,
  Hex32,
  Hyperparameters,
  Logger,
  ShardRange,
  SubnetChain,
} from '@tessera/core';

/** An update trained by the miner, compressed and encoded for this window and shard. */
export type TrainedUpdate = {
  /** The pages it trained on. */
  pages: readonly number[];
  /** `modelHash` of the model it trained from. */
  modelHash: Hex32;
  /** The pseudo-gradient `θ_base − θ_local` on the window's shard. */
  delta: Float32Array;
  /** Loss of each inner step, measured before its update. */
  losses: readonly number[];
  /** `delta` plus the error-feedback buffer, top-k per chunk, quantized. */
  compressed: CompressedUpdate;
  /** The error-feedback buffer once `compressed` is sent: keep it if this update is committed. */
  errorFeedback: Float32Array;
  /** The encoded update. */
  bytes: Uint8Array;
  /** `digestUpdate(bytes)`. */
  digest: Hex32;
};

/** What a miner committed in an earlier window, kept for strategies that look back. */
export type PreviousSubmission = {
  window: number;
  shard: number;
  compressed: CompressedUpdate;
};

/** What {@link StrategyContext.train} trains on, and for how long. */
export type TrainChoice = {
  /** Training pages. @default the assigned pages */
  pages?: readonly number[] | undefined;
  /** Pages of the public held-out split, batched together with `pages`. @default none */
  heldOutPages?: readonly number[] | undefined;
  /** θ to start from. @default θ_w */
  base?: Float32Array | undefined;
  /** Inner steps, at least 1. @default innerSteps */
  steps?: number | undefined;
};

/** Everything a strategy may use to build its submission for one window. */
export type StrategyContext = {
  readonly window: number;
  readonly uid: number;
  /** Pages and shard assigned for this window. */
  readonly assignment: Assignment;
  /** The slice of the parameter vector the assigned shard covers. */
  readonly shardRange: ShardRange;
  readonly hyperparameters: Hyperparameters;
  readonly parameterCount: number;
  /** Pages in the corpus's training split. */
  readonly trainPageCount: number;
  /** θ_w; never modify it. */
  readonly parameters: Float32Array;
  /** `modelHash(θ_w)`: what an in-sync miner commits. */
  readonly modelHash: Hex32;
  /** The model this miner held one window before, if it held one and it differs from θ_w. */
  readonly staleModel: { window: number; parameters: Float32Array; hash: Hex32 } | undefined;
  /** This miner's last committed update, if it kept one since it started. */
  readonly previous: PreviousSubmission | undefined;
  /** First block at which a commitment for this window no longer counts. */
  readonly deadline: number;
  readonly chain: Pick<SubnetChain, 'blockNumber' | 'waitForBlock' | 'commitments'>;
  readonly logger: Logger;
  /** Aborted at shutdown; pass it to every wait. */
  readonly signal: AbortSignal;
  /** A uniform draw in [0, 1). */
  random(): number;
  /** `length` random bytes. */
  randomBytes(length: number): Uint8Array;
  /**
   * Trains `steps` (default `innerSteps`) AdamW steps from `base` (default θ_w) on `pages`
   * (default the assigned ones) and `heldOutPages` of the public held-out split (default
   * none), then compresses with a copy of the error-feedback buffer and encodes. The default
   * call is done once per window and shared.
   */
  train(parameters?: TrainChoice): Promise<TrainedUpdate>;
  /** Compresses a shard-long delta with a copy of the error-feedback buffer. */
  compress(delta: Float32Array): { compressed: CompressedUpdate; errorFeedback: Float32Array };
  /** Encodes a compressed update for this window and shard. */
  encode(compressed: CompressedUpdate): Uint8Array;
  /** Reads a URI (another miner's update) with the run's byte cap. */
  download(uri: string): Promise<Uint8Array>;
};

/**
 * What a miner uploads and commits for a window. Fields left out take the honest choice:
 * the digest of `bytes`, the URI the store returns for `bytes`, `modelHash(θ_w)`, committed
 * at once.
 */
export type Submission = {
  /** Bytes to upload. Leave out to commit `uri` without uploading anything. */
  bytes?: Uint8Array | undefined;
  /** Digest to commit. @default digestUpdate(bytes) */
  digest?: Hex32 | undefined;
  /** URI to commit. @default where `bytes` were uploaded */
  uri?: string | undefined;
  /** Model hash to commit. @default modelHash(θ_w) */
  modelHash?: Hex32 | undefined;
  /** Error-feedback buffer of the shard to keep once the commitment lands. @default unchanged */
  errorFeedback?: Float32Array | undefined;
  /** Update to remember as this window's, for strategies that look back. */
  compressed?: CompressedUpdate | undefined;
  /** Wait for this block before committing. @default commit at once */
  commitAtBlock?: number | undefined;
  /** Inner losses, for the window's log line and metrics. */
  losses?: readonly number[] | undefined;
  /** A word on what the strategy did, for the log. */
  note?: string | undefined;
};

/**
 * Turns "what an honest miner would upload" into what this miner uploads. Returns undefined
 * to commit nothing this window.
 */
export type Strategy = (context: StrategyContext) => Promise<Submission | undefined>;
