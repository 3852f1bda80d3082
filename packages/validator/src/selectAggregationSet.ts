/** Parameters of {@link selectAggregationSet}. */
export type SelectAggregationSetParameters = {
  /** This window's scores by uid (rejected and missing updates score 0). */
  scores: ReadonlyMap<number, number>;
  /** G: the largest set. */
  aggregationSize: number;
};

/**
 * Picks a window's aggregation set: the `aggregationSize` best positive scores (ties go to
 * the lower uid), returned ascending by uid as the chain and `aggregateUpdates` expect.
 * Zero, negative and non-finite scores never enter it, so the set may be empty.
 *
 * @returns Uids, ascending.
 * @example
 * selectAggregationSet({ scores: new Map([[3, 0.02], [1, 0.05], [7, 0]]), aggregationSize: 8 }); // [1, 3]
 */
export function selectAggregationSet(parameters: SelectAggregationSetParameters): number[] {
  const { scores, aggregationSize } = parameters;
  return [...scores]
    .filter(([, score]) => Number.isFinite(score) && score > 0)
    .sort(([uidA, a], [uidB, b]) => b - a || uidA - uidB)
    .slice(0, Math.max(0, Math.floor(aggregationSize)))
    .map(([uid]) => uid)
    .sort((a, b) => a - b);
}
