import {
  UpdateDecodeError,
  applyUpdate,
  buildBatches,
  decodeWindowUpdate,
  digestUpdate,
  l2Norm,
  meanLoss,
  modelHash,
  normBoundScale,
  setParameters,
} from '@tessera/core';
import type {
  Assignment,
  Commitment,
  Corpus,
  DecodedUpdate,
  Hyperparameters,
  Model,
  SparseUpdate,
  UpdateDecodeReason,
} from '@tessera/core';
import { ValidatorError } from './errors/validator.js';
import type { MissingReason } from './missingReason.js';

/**
 * Why an update scored nothing. Stable codes: they go in logs, the rejection counter's
 * `reason` label and the API unchanged.
 *
 * - `duplicate`: another uid committed the same digest earlier (lowest block, then lowest uid).
 * - `missing`: no commitment.
 * - `missing:<code>`: committed, but its bytes were not had, or not judged, in time
 *   ({@link MissingReason}: `timeout`, `too-large`, `not-found`, `unreachable`, `refused`, `late`).
 * - `digest-mismatch`: keccak256 of the bytes is not the committed digest.
 * - `malformed:<code>`: the strict decoder refused the bytes (`UpdateDecodeReason`), the
 *   wrong window or shard included.
 * - `out-of-sync`: the committed model hash is not `modelHash(θ_w)`.
 * - `diverged`: θ_w − η·Δ̂ gives a NaN or infinite loss.
 * - `not-assigned`: the update does not improve the miner's own pages enough more than
 *   the window's unseen pages (proof of assignment).
 * - `evaluation-failed`: the validator could not evaluate it (its own fault; logged as an error).
 */
export type RejectionReason =
  | 'duplicate'
  | 'missing'
  | `missing:${MissingReason}`
  | 'digest-mismatch'
  | `malformed:${UpdateDecodeReason}`
  | 'out-of-sync'
  | 'diverged'
  | 'not-assigned'
  | 'evaluation-failed';

/** Mean next-token loss (nats per token) of one batch set before and after the update. */
export type LossPair = { before: number; after: number };

/** The two measurements of an evaluation. */
export type EvaluationLosses = {
  /** The miner's assigned pages. */
  own: LossPair;
  /**
   * Training pages no miner was assigned in the window, drawn from the window's evaluation
   * seed after the deadline: what the update is scored on.
   */
  unseen: LossPair;
};

/** The verdict on one update: what a worker returns and the window loop scores. */
export type EvaluationResult = {
  status: 'scored' | 'rejected';
  /** Set exactly when `status` is `rejected`. */
  reason?: RejectionReason;
  /**
   * When scored: first `max(0, unseen.before − unseen.after)` (a worker's verdict), then, once
   * the window loop has it, that improvement in units of the window's reference update
   * (`relativeScore`). 0 when rejected.
   */
  score: number;
  /** Present once the losses were measured (scored, and `not-assigned` rejections). */
  losses?: EvaluationLosses;
  /** L2 norm of the decoded update Δ̂ as sent, present once it decoded. */
  norm?: number;
  /** The factor Δ̂ was scaled by to fit the norm bound (1 when it fit), present once it decoded. */
  clip?: number;
  /**
   * Earlier commitments of the window this update copies in part (`findCopies`): it was
   * scored on what remains once their directions are taken out, and it stays out of the
   * aggregate.
   */
  copyOf?: number[];
};

/** Parameters of {@link evaluateUpdate}. */
export type EvaluateUpdateParameters = {
  /** A model of the run's config; its parameters are overwritten (θ' on return). */
  model: Model;
  /** θ_w, the flat parameter vector every miner trained from. Not modified. */
  theta: Float32Array;
  /** `modelHash(θ_w)`, when the caller has it already. @default computed */
  thetaHash?: `0x${string}` | undefined;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  /** What the miner committed on chain. */
  commitment: Pick<Commitment, 'uid' | 'window' | 'digest' | 'modelHash'>;
  /** The bytes fetched from the commitment's URI. Untrusted. */
  bytes: Uint8Array;
  /** The miner's assignment for the window (`assignWork`). */
  assignment: Pick<Assignment, 'pages' | 'shard'>;
  /** The window's unseen pages (`drawEvaluationPages`). */
  unseenPages: readonly number[];
  /** ρ of the update's shard: it is scored as if its L2 norm were at most this. */
  normBound: number;
  /**
   * Losses of θ_w already measured, keyed by model hash and pages; filled as it goes. Pass
   * one map per θ_w to skip the "before" half of the unseen measurement, which every miner
   * of a window shares.
   */
  lossCache?: Map<string, number> | undefined;
};

/** Smallest scale the proof margin multiplies, in nats: ε of the proof of assignment. */
export const proofEpsilon = 1e-6;

/**
 * Scores one miner's update for a window: protocol steps 3 to 7 (integrity, sync, loss,
 * proof of assignment, score). Pure apart from the model it computes on: no Redis, no
 * chain, no network.
 *
 * 1. keccak256(bytes) must equal the committed digest (`digest-mismatch`).
 * 2. The bytes must decode strictly for the window, the run's shape and compression, and
 *    the uid's shard (`malformed:<code>`).
 * 3. The committed model hash must be `modelHash(θ_w)` (`out-of-sync`).
 * 4. Δ̂ is scaled to fit the norm bound ρ (`normBoundScale`); with
 *    θ' = θ_w − η_outer·scoreStepScale·c·Δ̂, the loss before and after on the miner's own
 *    pages and on the window's unseen pages (`diverged` when an after-loss is NaN or
 *    infinite).
 * 5. Proof of assignment: rejected `not-assigned` unless
 *    `own − unseen > proofMargin · max(|unseen|, ε)`, improvements being `before − after`:
 *    the own pages must gain several times what data no miner trained on gains (or loses).
 * 6. Score `max(0, unseen improvement)`; the window loop turns it into units of the
 *    reference update.
 *
 * @returns The verdict, with the losses once they were measured.
 * @throws ValidatorError `invalid-parameter` when the inputs do not fit together (θ of the
 *   wrong length, a corpus cut for other pages): the caller's fault, never the miner's.
 * @example
 * const result = await evaluateUpdate({ model, theta, corpus, hyperparameters, commitment, bytes, assignment, unseenPages, normBound });
 * if (result.status === 'rejected') logger.info('update rejected', { uid: commitment.uid, reason: result.reason });
 */
export async function evaluateUpdate(parameters: EvaluateUpdateParameters): Promise<EvaluationResult> {
  const { model, theta, corpus, hyperparameters: h, commitment, bytes, assignment } = parameters;
  checkInputs(parameters);
  const reject = (reason: RejectionReason, losses?: EvaluationLosses): EvaluationResult =>
    losses === undefined
      ? { status: 'rejected', reason, score: 0 }
      : { status: 'rejected', reason, score: 0, losses };

  if (digestUpdate(bytes) !== commitment.digest.toLowerCase()) return reject('digest-mismatch');
  let update: DecodedUpdate;
  try {
    update = decodeWindowUpdate({
      bytes,
      window: commitment.window,
      shard: assignment.shard,
      parameterCount: model.parameterCount,
      hyperparameters: h,
    });
  } catch (error) {
    if (error instanceof UpdateDecodeError) return reject(`malformed:${error.reason}`);
    throw error;
  }
  const thetaHash = parameters.thetaHash ?? modelHash({ parameters: theta });
  if (commitment.modelHash.toLowerCase() !== thetaHash.toLowerCase()) return reject('out-of-sync');

  const norm = l2Norm(update.values);
  const clip = normBoundScale({ values: update.values, normBound: parameters.normBound });
  const measured = await measureImprovements({
    model,
    theta,
    thetaHash,
    corpus,
    hyperparameters: h,
    update,
    normBound: parameters.normBound,
    pages: { own: assignment.pages, unseen: parameters.unseenPages },
    lossCache: parameters.lossCache,
  });
  if (measured === undefined) return { ...reject('diverged'), norm, clip };
  const { losses } = measured;
  const own = losses.own.before - losses.own.after;
  const unseen = losses.unseen.before - losses.unseen.after;
  const scale = Math.max(Math.abs(unseen), proofEpsilon);
  if (!(own - unseen > h.proofMargin * scale)) return { ...reject('not-assigned', losses), norm, clip };
  return { status: 'scored', score: Math.max(0, unseen), losses, norm, clip };
}

/** Parameters of {@link measureImprovements}. */
export type MeasureImprovementsParameters<K extends string> = {
  model: Model;
  theta: Float32Array;
  thetaHash: `0x${string}`;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  /** The update, global indices; scaled to fit `normBound` before it is applied. */
  update: SparseUpdate;
  normBound: number;
  /** Named sets of training pages to measure on. */
  pages: Record<K, readonly number[]>;
  /** Losses of θ_w by model hash and pages, shared by the window's evaluations. */
  lossCache?: Map<string, number> | undefined;
};

/**
 * Loss before and after one update on named sets of training pages, the update applied as
 * validators score it: `θ' = θ_w − η_outer·scoreStepScale·c·Δ̂` with `c` fitting ρ. The
 * "before" losses are cached per θ_w and pages.
 *
 * @returns The loss pairs, or undefined when an after-loss is NaN or infinite.
 * @throws ValidatorError `invalid-parameter` when θ_w itself gives a non-finite loss.
 * @example
 * const measured = await measureImprovements({ model, theta, thetaHash, corpus, hyperparameters, update, normBound, pages: { unseen } });
 */
export async function measureImprovements<K extends string>(
  parameters: MeasureImprovementsParameters<K>,
): Promise<{ losses: Record<K, LossPair> } | undefined> {
  const { model, theta, thetaHash, corpus, hyperparameters: h, update } = parameters;
  const names = Object.keys(parameters.pages) as K[];
  const cache = parameters.lossCache ?? new Map<string, number>();
  const batchesOf = (name: K) =>
    buildBatches({
      pages: parameters.pages[name].map((page) => corpus.getPage(page)),
      batchSize: h.batchSize,
    });
  const keyOf = (name: K) => `${thetaHash}|train|${parameters.pages[name].join(',')}`;
  const before = {} as Record<K, number>;
  let thetaSet = false;
  for (const name of names) {
    const cached = cache.get(keyOf(name));
    if (cached !== undefined) {
      before[name] = cached;
      continue;
    }
    if (!thetaSet) setParameters({ model, parameters: theta });
    thetaSet = true;
    const loss = await meanLoss({ model, batches: batchesOf(name) });
    if (!Number.isFinite(loss)) {
      throw new ValidatorError('invalid-parameter', 'θ_w itself gives a non-finite loss.', {
        details: `${name} loss ${loss}, model ${thetaHash}`,
      });
    }
    before[name] = loss;
    cache.set(keyOf(name), loss);
  }
  setParameters({
    model,
    parameters: applyUpdate({
      base: theta,
      update,
      learningRate: h.outerLearningRate * h.scoreStepScale,
      normBound: parameters.normBound,
    }),
  });
  const losses = {} as Record<K, LossPair>;
  for (const name of names) {
    const after = await meanLoss({ model, batches: batchesOf(name) });
    if (!Number.isFinite(after)) return undefined;
    losses[name] = { before: before[name], after };
  }
  return { losses };
}

function checkInputs(parameters: EvaluateUpdateParameters): void {
  const { model, theta, corpus, hyperparameters, commitment, bytes, assignment } = parameters;
  const fail = (message: string, details?: string): never => {
    throw new ValidatorError('invalid-parameter', message, { details });
  };
  if (!(theta instanceof Float32Array) || theta.length !== model.parameterCount) {
    fail(
      'θ_w does not fit the model.',
      `${theta instanceof Float32Array ? theta.length : typeof theta} values, model has ${model.parameterCount}`,
    );
  }
  if (corpus.pageTokens !== hyperparameters.pageTokens) {
    fail(
      'The corpus is cut into pages of another size.',
      `${corpus.pageTokens} != ${hyperparameters.pageTokens}`,
    );
  }
  if (!(bytes instanceof Uint8Array)) fail('bytes must be a Uint8Array.');
  if (!Number.isSafeInteger(commitment.window) || commitment.window < 0) {
    fail('commitment.window must be a non-negative integer.', String(commitment.window));
  }
  for (const [name, value] of [
    ['commitment.digest', commitment.digest],
    ['commitment.modelHash', commitment.modelHash],
  ] as const) {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
      fail(`${name} must be 0x and 64 hex digits.`, String(value));
    }
  }
  if (!Array.isArray(assignment.pages) || assignment.pages.length === 0) fail('assignment.pages is empty.');
  if (!Array.isArray(parameters.unseenPages) || parameters.unseenPages.length === 0)
    fail('unseenPages is empty.');
  if (!(parameters.normBound > 0)) fail('normBound must be positive.', String(parameters.normBound));
  if (!Number.isSafeInteger(assignment.shard) || assignment.shard < 0) {
    fail('assignment.shard must be a non-negative integer.', String(assignment.shard));
  }
}
