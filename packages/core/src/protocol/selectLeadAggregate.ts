/** One published aggregate (or checkpoint) as the lead rule sees it. */
export type LeadCandidate = {
  /** The publisher's uid. */
  validatorUid: number;
  /** The publisher's stake at the block the candidates were read at (0 when it is no validator any more). */
  stake: bigint;
  /** Block that included it. */
  block: number;
};

/** Parameters of {@link selectLeadAggregate}. */
export type SelectLeadAggregateParameters<T extends LeadCandidate> = {
  /** Every aggregate published for one window. */
  candidates: readonly T[];
  /** Ignore candidates included at or after this block (for aggregates: the start of window w+2). */
  beforeBlock?: number | undefined;
};

/**
 * The lead-aggregate rule every participant follows: among the aggregates published for a window
 * and included before window w+2 started, the one whose publisher has the highest stake; on equal
 * stakes, the publisher with the lowest uid. The tie rule depends only on who published, not on
 * the order transactions landed in, so two readers never disagree. Both chain backends and the
 * in-memory chain call it; which publishers are eligible (a validator permit on Bittensor) is the
 * backend's to decide before.
 *
 * @returns The lead candidate, or undefined when none qualifies.
 * @example
 * const lead = selectLeadAggregate({ candidates: [{ validatorUid: 0, stake: 500n, block: 31 }], beforeBlock: 40 });
 */
export function selectLeadAggregate<T extends LeadCandidate>(
  parameters: SelectLeadAggregateParameters<T>,
): T | undefined {
  let best: T | undefined;
  for (const candidate of parameters.candidates) {
    if (parameters.beforeBlock !== undefined && candidate.block >= parameters.beforeBlock) continue;
    const better =
      !best ||
      candidate.stake > best.stake ||
      (candidate.stake === best.stake && candidate.validatorUid < best.validatorUid);
    if (better) best = candidate;
  }
  return best;
}
