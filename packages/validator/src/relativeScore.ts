/** Parameters of {@link relativeScore}. */
export type RelativeScoreParameters = {
  /** The update's improvement on the window's unseen pages, in nats per token. */
  improvement: number;
  /** The validator's reference update's improvement on the same pages (same shard). */
  reference: number;
  /** `maxRelativeScore`. */
  maxRelativeScore: number;
};

/** Parameters of {@link windowScore}. */
export type WindowScoreParameters = {
  /** The update's improvement on the miner's own pages and on the unseen pages. */
  gains: { own: number; unseen: number };
  /** The reference update's improvement on its own pages and on the unseen pages. */
  reference: { own: number; unseen: number };
  maxRelativeScore: number;
};

/**
 * A scored update's window score: the lesser of its own-page gain and its unseen-page gain,
 * each in units of the reference update's (`relativeScore`). The own-page gain measures the
 * work done on the assigned pages (fewer steps or fewer pages gain less there, in proportion),
 * the unseen gain what that work is worth to everyone; an update must have both to score.
 *
 * @returns A score in [0, maxRelativeScore].
 * @example
 * windowScore({ gains: { own: 0.2, unseen: 0.01 }, reference: { own: 0.25, unseen: 0.01 }, maxRelativeScore: 3 }); // 0.8
 */
export function windowScore(parameters: WindowScoreParameters): number {
  const { gains, reference, maxRelativeScore } = parameters;
  return Math.min(
    relativeScore({ improvement: gains.own, reference: reference.own, maxRelativeScore }),
    relativeScore({ improvement: gains.unseen, reference: reference.unseen, maxRelativeScore }),
  );
}

/** Below this reference improvement (nats per token) a window's shard scores no one. */
export const referenceEpsilon = 1e-6;

/**
 * A window's score in units of the validator's reference update:
 * `min(maxRelativeScore, max(0, improvement) / reference)`, or 0 when the reference itself
 * improved the unseen pages by less than {@link referenceEpsilon} (the window then says
 * nothing about anyone's work, and noise must not be paid). The unit is the work of one
 * honest miner on the same θ_w, so the model's loss level (large gains early in a run,
 * small ones late) does not set how much a window counts.
 *
 * @returns A score in [0, maxRelativeScore].
 * @example
 * relativeScore({ improvement: 0.012, reference: 0.010, maxRelativeScore: 3 }); // 1.2
 */
export function relativeScore(parameters: RelativeScoreParameters): number {
  const { improvement, reference, maxRelativeScore } = parameters;
  if (!Number.isFinite(improvement) || !Number.isFinite(reference) || !(reference >= referenceEpsilon))
    return 0;
  return Math.min(maxRelativeScore, Math.max(0, improvement) / reference);
}

/** Parameters of {@link overNormFactor}. */
export type OverNormFactorParameters = {
  /** L2 norm of the update as sent. */
  norm: number;
  /** ρ of its shard: the norm of the validator's reference update. */
  referenceNorm: number;
  /** `normTolerance`. */
  tolerance: number;
};

/**
 * What a window score is multiplied by for an update louder than any honest one:
 * `1` while `norm ≤ tolerance · ρ`, else `(tolerance · ρ / norm)²`. Clipping alone makes a
 * loud update harmless; this makes it unprofitable, since only a changed pseudo-gradient
 * can be that far above the reference (honest ones come out at 0.94–1.03 ρ).
 *
 * @returns A factor in (0, 1].
 * @example
 * overNormFactor({ norm: 3, referenceNorm: 1, tolerance: 1.5 }); // 0.25
 */
export function overNormFactor(parameters: OverNormFactorParameters): number {
  const { norm, referenceNorm, tolerance } = parameters;
  const limit = tolerance * referenceNorm;
  return norm <= limit ? 1 : (limit / norm) ** 2;
}
