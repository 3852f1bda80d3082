/** Parameters of {@link computeWeights}. */
export type ComputeWeightsParameters = {
  /** Each uid's moving average of scores. */
  scores: ReadonlyMap<number, number>;
  /** p: the power that sharpens averages into weights. */
  power: number;
};

/** Weights ready for `chain.setWeights`. */
export type Weights = {
  /** Uids with a positive average, ascending. */
  uids: number[];
  /** `s_i^p / Σ s^p`, one per uid, summing to 1. */
  weights: number[];
};

/**
 * Turns moving averages into weights: `s_i^p / Σ s^p` over the uids whose average is
 * positive (and finite). Uids at or below zero get no weight and are left out.
 *
 * @returns The weights, or undefined when no average is positive (set no weights then).
 * @example
 * computeWeights({ scores: new Map([[1, 0.2], [2, 0.1], [3, 0]]), power: 2 });
 * // { uids: [1, 2], weights: [0.8, 0.2] }
 */
export function computeWeights(parameters: ComputeWeightsParameters): Weights | undefined {
  const { scores, power } = parameters;
  const positive = [...scores]
    .filter(([, score]) => Number.isFinite(score) && score > 0)
    .sort(([a], [b]) => a - b);
  // Divide by the largest first so that s^p cannot underflow to zero for small averages.
  const largest = Math.max(0, ...positive.map(([, score]) => score));
  const powered = positive.map(([uid, score]) => [uid, (score / largest) ** power] as const);
  const total = powered.reduce((sum, [, value]) => sum + value, 0);
  if (!(total > 0) || !Number.isFinite(total)) return undefined;
  return {
    uids: powered.map(([uid]) => uid),
    weights: powered.map(([, value]) => value / total),
  };
}
