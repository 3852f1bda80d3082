import type { Neuron } from '@tessera/core';
import { applyWindowScores } from '../applyWindowScores.js';
import { measureImprovements } from '../evaluateUpdate.js';
import type { EvaluationResult } from '../evaluateUpdate.js';
import type { WindowUpdate } from '../findCopies.js';
import { loadWindowUpdates } from '../loadWindowUpdates.js';
import { readScores } from '../readScores.js';
import { overNormFactor, windowScore } from '../relativeScore.js';
import { rescoreCopies } from '../rescoreCopies.js';
import type { Gains } from './measureReferenceGains.js';
import type { WindowWork } from './readWindowWork.js';
import type { WindowServices, WindowScoring } from './types.js';

/** Parameters of {@link scoreWindow}. */
export type ScoreWindowParameters = Pick<
  WindowServices,
  'redis' | 'keys' | 'corpus' | 'hyperparameters' | 'metrics' | 'logger'
> & {
  window: number;
  scoring: WindowScoring;
  work: WindowWork;
  /** The metagraph's miners: each gets a verdict (`missing` when it committed nothing). */
  miners: readonly Neuron[];
  /** The enqueued jobs, with each uid's shard. */
  jobs: readonly { uid: number; shard: number }[];
  /** The workers' verdicts (`collectVerdicts`), rescored here in place. */
  verdicts: Map<number, EvaluationResult>;
  referenceGains: readonly Gains[];
  normBounds: readonly number[];
  scoreBounds: readonly number[];
};

/** A window's scores, as folded into the averages. */
export type WindowScores = {
  /** The decoded bytes the workers left, ascending by uid (for the aggregate). */
  updates: WindowUpdate[];
  /** Verdicts by status. */
  counts: { scored: number; rejected: number };
};

/**
 * Step 8: scores the verdicts relative to the reference. Copies among the bytes the workers
 * left in Redis (`loadWindowUpdates`, `rescoreCopies`) are scored on their residual; each
 * scored verdict becomes `windowScore` (its gains over the reference's, capped) × its
 * `overNormFactor`. Then every miner of the metagraph is folded into its moving average in
 * one guarded Redis script (`applyWindowScores`; missing and rejected ones get 0, a window
 * applied before is not applied again), with a log line and `verdicts_total`,
 * `rejections_total` per miner, and the per-uid gauges `miner_window_score` and `miner_score`.
 *
 * @example
 * const { updates, counts } = await scoreWindow({ ...services, window: w, scoring, work, miners, jobs, verdicts, referenceGains, normBounds, scoreBounds });
 */
export async function scoreWindow(parameters: ScoreWindowParameters): Promise<WindowScores> {
  const {
    redis,
    keys,
    corpus,
    hyperparameters: h,
    metrics,
    logger,
    window,
    scoring,
    work,
    verdicts,
  } = parameters;
  const { normBounds, scoreBounds, referenceGains } = parameters;
  const shardOf = new Map(parameters.jobs.map((job) => [job.uid, job.shard]));
  const updates = await loadWindowUpdates({
    redis,
    keys,
    window,
    commitments: work.commitments
      .filter((c) => shardOf.has(c.uid))
      .map((c) => ({ ...c, shard: shardOf.get(c.uid)! })),
    parameterCount: scoring.theta.length,
    hyperparameters: h,
    logger,
  });
  // Copies of earlier commitments of the window are scored on their own part only.
  await rescoreCopies({
    verdicts,
    updates,
    copyCosine: h.copyCosine,
    measure: async (uid, residual) =>
      (
        await measureImprovements({
          ...scoring,
          corpus,
          hyperparameters: h,
          update: residual,
          normBound: scoreBounds[shardOf.get(uid) ?? 0]!,
          pages: { own: work.assignments.get(uid)?.pages ?? [], unseen: work.pages.unseen },
        })
      )?.losses,
    logger,
  });
  for (const [uid, verdict] of verdicts) {
    if (verdict.status !== 'scored' || verdict.losses === undefined) continue;
    const shard = shardOf.get(uid) ?? 0;
    verdicts.set(uid, {
      ...verdict,
      score:
        windowScore({
          gains: { own: verdict.losses.own.before - verdict.losses.own.after, unseen: verdict.score },
          reference: referenceGains[shard] ?? { own: 0, unseen: 0 },
          maxRelativeScore: h.maxRelativeScore,
        }) *
        overNormFactor({
          norm: verdict.norm ?? 0,
          referenceNorm: normBounds[shard]!,
          tolerance: h.normTolerance,
        }),
    });
  }

  const counts = { scored: 0, rejected: 0 };
  const scores = parameters.miners.map((neuron) => {
    const result: EvaluationResult = verdicts.get(neuron.uid) ?? {
      status: 'rejected',
      reason: 'missing',
      score: 0,
    };
    if (result.status === 'scored') {
      counts.scored++;
      logger.info('update scored', { uid: neuron.uid, score: result.score });
    } else {
      counts.rejected++;
      metrics.rejections.inc({ reason: result.reason ?? 'unknown' });
      logger.info('update rejected', { uid: neuron.uid, reason: result.reason });
    }
    metrics.verdicts.inc({ status: result.status });
    return { uid: neuron.uid, hotkey: neuron.hotkey, result };
  });
  const applied = await applyWindowScores({ redis, keys, window, scores, alpha: h.scoreEmaAlpha });
  if (!applied) logger.info('scores of this window were applied before; not again');
  // One series per uid of the metagraph (bounded by the subnet's max uids); the uids that
  // left it lose theirs.
  const averages = await readScores({ redis, keys });
  metrics.minerWindowScore.reset();
  metrics.minerScore.reset();
  for (const { uid, result } of scores) {
    metrics.minerWindowScore.set({ uid: String(uid) }, result.status === 'scored' ? result.score : 0);
    metrics.minerScore.set({ uid: String(uid) }, averages.get(uid) ?? 0);
  }
  return { updates, counts };
}
