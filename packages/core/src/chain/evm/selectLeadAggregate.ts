import type { Address } from '../types.js';
import type { AggregateWithPublisher } from './parseViews.js';

/** Parameters of {@link selectLeadAggregate}. */
export type SelectLeadAggregateParameters = {
  /** Every aggregate published for one window. */
  aggregates: AggregateWithPublisher[];
  /** Stake of each validator hotkey at the block the aggregates were read at; absent counts as 0. */
  stakes: Map<Address, bigint>;
  /** Ignore aggregates included at or after this block (the start of window w+2). */
  beforeBlock?: number | undefined;
};

/**
 * Picks the aggregate every participant follows: the one whose publisher has the highest stake;
 * on equal stakes, the publisher with the lowest uid. A publisher that is no longer a validator
 * counts with stake 0.
 *
 * The tie rule differs from the Subnet's own `getAggregate` view (earliest published wins): the
 * uid rule depends only on who published, not on the order transactions landed in, so two readers
 * never disagree about equal stakes.
 *
 * @returns The lead aggregate, or undefined when none qualifies.
 * @example
 * const lead = selectLeadAggregate({ aggregates, stakes: new Map([[validator, 500n]]) });
 */
export function selectLeadAggregate(
  parameters: SelectLeadAggregateParameters,
): AggregateWithPublisher | undefined {
  let best: { aggregate: AggregateWithPublisher; stake: bigint } | undefined;
  for (const aggregate of parameters.aggregates) {
    if (parameters.beforeBlock !== undefined && aggregate.block >= parameters.beforeBlock) continue;
    const stake = parameters.stakes.get(aggregate.validator) ?? 0n;
    const better =
      !best ||
      stake > best.stake ||
      (stake === best.stake && aggregate.validatorUid < best.aggregate.validatorUid);
    if (better) best = { aggregate, stake };
  }
  return best?.aggregate;
}
