import type { Model } from '@tessera/core';
import { trainReferenceUpdate } from '../trainReferenceUpdate.js';
import type { ReferenceUpdate } from '../trainReferenceUpdate.js';
import { createReferenceFeedback } from './createReferenceFeedback.js';
import type { WindowServices } from './types.js';

/**
 * Smallest norm bound ρ a window uses: a reference update that came out as all zeros must
 * not make every update count as nothing-but-zero (a bound of 0 is no bound the protocol
 * allows).
 */
const minimumNormBound = 1e-12;

/** Parameters of {@link trainReference}. */
export type TrainReferenceParameters = Pick<
  WindowServices,
  'redis' | 'keys' | 'corpus' | 'hyperparameters' | 'signal'
> & {
  /** The model to train on (its parameters are overwritten). */
  model: Model;
  theta: Float32Array;
  /** The window's reference pages (`drawEvaluationPages`). */
  pages: readonly number[];
};

/** The window's reference update and the bounds it sets. */
export type WindowReference = {
  reference: ReferenceUpdate;
  /** ρ by shard: the norm each update counts with at most in the aggregate. */
  normBounds: number[];
  /** By shard, the bound updates are scored at: `scoreNormFraction · ρ`. */
  scoreBounds: number[];
};

/**
 * Step 3: trains the window's reference update (`trainReferenceUpdate`) on the reference
 * pages, carrying its error feedback from window to window in Redis
 * (`createReferenceFeedback`), and derives each shard's ρ and score bound from it.
 *
 * @example
 * const { reference, normBounds, scoreBounds } = await trainReference({ ...services, model, theta, pages: work.pages.reference });
 */
export async function trainReference(parameters: TrainReferenceParameters): Promise<WindowReference> {
  const { model, theta, corpus, hyperparameters: h, pages, signal } = parameters;
  const feedback = createReferenceFeedback({ ...parameters, shards: h.shards, parameterCount: theta.length });
  const errorFeedback = await feedback.load();
  const reference = await trainReferenceUpdate({
    model,
    theta,
    corpus,
    hyperparameters: h,
    pages,
    errorFeedback,
    signal,
  });
  await feedback.save(errorFeedback);
  const normBounds = reference.shards.map((part) => Math.fround(Math.max(part.norm, minimumNormBound)));
  const scoreBounds = normBounds.map((rho) => Math.fround(rho * h.scoreNormFraction));
  return { reference, normBounds, scoreBounds };
}
