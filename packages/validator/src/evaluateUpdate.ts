import {
  UpdateDecodeError,
  applyUpdate,
  buildBatches,
  decodeUpdate,
  digestUpdate,
  meanLoss,
  modelHash,
  setParameters,
} from '@tessera/core';
import type {
  Assignment,
  Commitment,
  Corpus,
  DecodedUpdate,
  Hyperparameters,
  Model,
  UpdateDecodeReason,
} from '@tessera/core';
import { drawEvaluationPages } from './drawEvaluationPages.js';
import { ValidatorError } from './errors/validator.js';

/**
 * Why an update scored nothing. Stable codes: they go in logs, the rejection counter's
 * `reason` label and the API unchanged.
 *
 * - `duplicate`: another uid committed the same digest earlier (lowest block, then lowest uid).
 * - `missing`: no commitment, or the bytes could not be fetched (not found, too large, timed out).
 * - `digest-mismatch`: keccak256 of the bytes is not the committed digest.
 * - `malformed:<code>`: the strict decoder refused the bytes (`UpdateDecodeReason`), the
 *   wrong window or shard included.
 * - `out-of-sync`: the committed model hash is not `modelHash(θ_w)`.
 * - `diverged`: θ_w − η·Δ̂ gives a NaN or infinite loss.
 * - `not-assigned`: the update does not improve the miner's own pages enough more than
 *   random ones (proof of assignment).
 * - `evaluation-failed`: the validator could not evaluate it (its own fault; logged as an error).
 */
export type RejectionReason =
  | 'duplicate'
  | 'missing'
  | 'digest-mismatch'
  | `malformed:${UpdateDecodeReason}`
  | 'out-of-sync'
  | 'diverged'
  | 'not-assigned'
  | 'norm-outlier'
  | 'evaluation-failed';

/** Mean next-token loss (nats per token) of one batch set before and after the update. */
export type LossPair = { before: number; after: number };

/** The three measurements of an evaluation. */
export type EvaluationLosses = {
  /** The miner's assigned pages. */
  own: LossPair;
  /** Training pages the miner was not assigned, drawn from the window's evaluation seed. */
  random: LossPair;
  /** Held-out pages, never assigned to anyone. */
  heldOut: LossPair;
};

/** The verdict on one update: what a worker returns and the window loop scores. */
export type EvaluationResult = {
  status: 'scored' | 'rejected';
  /** Set exactly when `status` is `rejected`. */
  reason?: RejectionReason;
  /** `max(0, heldOut.before − heldOut.after)` when scored; 0 when rejected. */
  score: number;
  /** Present once the losses were measured (scored, and `not-assigned` rejections). */
  losses?: EvaluationLosses;
  /** L2 norm of the decoded update Δ̂, present once it decoded; the window loop compares it across miners. */
  norm?: number;
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
  /** The window's evaluation seed (`deriveEvalSeed`). */
  evalSeed: `0x${string}`;
  /**
   * Losses of θ_w already measured, keyed by model hash and pages; filled as it goes. Pass
   * one map per θ_w to skip the "before" half of the random and held-out measurements,
   * which every miner of a window shares.
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
 * 4. With θ' = θ_w − η_outer·Δ̂, the loss before and after on the miner's own pages, on
 *    `evalPages` random training pages and on `heldOutPages` held-out pages, both drawn
 *    from `evalSeed` (`diverged` when an after-loss is NaN or infinite).
 * 5. Proof of assignment: rejected `not-assigned` unless
 *    `own − random > proofMargin · max(|random|, |heldOut|, ε)`, improvements being
 *    `before − after`: the own pages must gain several times what data the update was not
 *    trained on gains (or loses).
 * 6. Score `max(0, heldOut improvement)`.
 *
 * @returns The verdict, with the losses once they were measured.
 * @throws ValidatorError `invalid_parameter` when the inputs do not fit together (θ of the
 *   wrong length, a corpus cut for other pages): the caller's fault, never the miner's.
 * @example
 * const result = await evaluateUpdate({ model, theta, corpus, hyperparameters, commitment, bytes, assignment, evalSeed });
 * if (result.status === 'rejected') logger.info('update rejected', { uid: commitment.uid, reason: result.reason });
 */
export async function evaluateUpdate(parameters: EvaluateUpdateParameters): Promise<EvaluationResult> {
  const { model, theta, corpus, hyperparameters: h, commitment, bytes, assignment, evalSeed } = parameters;
  checkInputs(parameters);
  const reject = (reason: RejectionReason, losses?: EvaluationLosses): EvaluationResult =>
    losses === undefined
      ? { status: 'rejected', reason, score: 0 }
      : { status: 'rejected', reason, score: 0, losses };

  if (digestUpdate(bytes) !== commitment.digest.toLowerCase()) return reject('digest-mismatch');
  let update: DecodedUpdate;
  try {
    update = decodeUpdate({
      bytes,
      expected: {
        maxBytes: h.maxUpdateBytes,
        window: commitment.window,
        parameterCount: model.parameterCount,
        shards: h.shards,
        shard: assignment.shard,
        chunkSize: h.chunkSize,
        topK: h.topK,
        bits: h.quantBits,
      },
    });
  } catch (error) {
    if (error instanceof UpdateDecodeError) return reject(`malformed:${error.reason}`);
    throw error;
  }
  const thetaHash = parameters.thetaHash ?? modelHash({ parameters: theta });
  if (commitment.modelHash.toLowerCase() !== thetaHash.toLowerCase()) return reject('out-of-sync');

  const pages = drawEvaluationPages({
    evalSeed,
    trainPageCount: corpus.trainPageCount,
    heldOutPageCount: corpus.heldOutPageCount,
    randomCount: h.evalPages,
    heldOutCount: h.heldOutPages,
    ownPages: assignment.pages,
  });
  const sets = {
    own: assignment.pages.map((page) => corpus.getPage(page)),
    random: pages.random.map((page) => corpus.getPage(page)),
    heldOut: pages.heldOut.map((page) => corpus.getHeldOutPage(page)),
  };
  const keys = {
    own: `${thetaHash}|train|${assignment.pages.join(',')}`,
    random: `${thetaHash}|train|${pages.random.join(',')}`,
    heldOut: `${thetaHash}|held-out|${pages.heldOut.join(',')}`,
  };
  const batchesOf = (rows: Int32Array[]) => buildBatches({ pages: rows, batchSize: h.batchSize });
  const cache = parameters.lossCache ?? new Map<string, number>();

  const before = {
    own: cache.get(keys.own),
    random: cache.get(keys.random),
    heldOut: cache.get(keys.heldOut),
  };
  if (before.own === undefined || before.random === undefined || before.heldOut === undefined) {
    setParameters({ model, parameters: theta });
    for (const name of ['own', 'random', 'heldOut'] as const) {
      if (before[name] !== undefined) continue;
      const loss = await meanLoss({ model, batches: batchesOf(sets[name]) });
      if (!Number.isFinite(loss)) {
        throw new ValidatorError('invalid_parameter', 'θ_w itself gives a non-finite loss.', {
          details: `${name} loss ${loss}, model ${thetaHash}`,
        });
      }
      before[name] = loss;
      cache.set(keys[name], loss);
    }
  }

  setParameters({
    model,
    parameters: applyUpdate({ base: theta, update, learningRate: h.outerLearningRate * h.scoreStepScale }),
  });
  const after = {
    own: await meanLoss({ model, batches: batchesOf(sets.own) }),
    random: await meanLoss({ model, batches: batchesOf(sets.random) }),
    heldOut: await meanLoss({ model, batches: batchesOf(sets.heldOut) }),
  };
  if (!Number.isFinite(after.own) || !Number.isFinite(after.random) || !Number.isFinite(after.heldOut)) {
    return reject('diverged');
  }
  const losses: EvaluationLosses = {
    own: { before: before.own as number, after: after.own },
    random: { before: before.random as number, after: after.random },
    heldOut: { before: before.heldOut as number, after: after.heldOut },
  };
  const own = losses.own.before - losses.own.after;
  const random = losses.random.before - losses.random.after;
  const heldOut = losses.heldOut.before - losses.heldOut.after;
  const scale = Math.max(Math.abs(random), Math.abs(heldOut), proofEpsilon);
  const norm = l2Norm(update.values);
  if (!(own - random > h.proofMargin * scale)) return { ...reject('not-assigned', losses), norm };
  return { status: 'scored', score: Math.max(0, heldOut), losses, norm };
}

function checkInputs(parameters: EvaluateUpdateParameters): void {
  const { model, theta, corpus, hyperparameters, commitment, bytes, assignment } = parameters;
  const fail = (message: string, details?: string): never => {
    throw new ValidatorError('invalid_parameter', message, { details });
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
  if (!Number.isSafeInteger(assignment.shard) || assignment.shard < 0) {
    fail('assignment.shard must be a non-negative integer.', String(assignment.shard));
  }
}

/** L2 norm of a vector, accumulated in float64. */
function l2Norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return Math.sqrt(sum);
}
