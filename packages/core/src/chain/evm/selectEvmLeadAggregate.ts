import { selectLeadAggregate } from '../../protocol/selectLeadAggregate.js';
import type { Address } from '../types.js';
import type { AggregateWithPublisher } from './parseViews.js';

/** Parameters of {@link selectEvmLeadAggregate}. */
export type SelectEvmLeadAggregateParameters = {
  /** Every aggregate published for one window. */
  aggregates: AggregateWithPublisher[];
  /** Stake of each validator hotkey at the block the aggregates were read at; absent counts as 0. */
  stakes: Map<Address, bigint>;
  /** Ignore aggregates included at or after this block (the start of window w+2). */
  beforeBlock?: number | undefined;
};

/**
 * The lead aggregate of the protocol rule ({@link selectLeadAggregate}) over the Subnet's
 * aggregates: a publisher that is no longer a validator counts with stake 0.
 *
 * The tie rule differs from the Subnet's own `getAggregate` view (earliest published wins): the
 * uid rule depends only on who published, not on the order transactions landed in.
 *
 * @returns The lead aggregate, or undefined when none qualifies.
 * @example
 * const lead = selectEvmLeadAggregate({ aggregates, stakes: new Map([[validator, 500n]]) });
 */
export function selectEvmLeadAggregate(
  parameters: SelectEvmLeadAggregateParameters,
): AggregateWithPublisher | undefined {
  const lead = selectLeadAggregate({
    candidates: parameters.aggregates.map((aggregate) => ({
      aggregate,
      validatorUid: aggregate.validatorUid,
      stake: parameters.stakes.get(aggregate.validator) ?? 0n,
      block: aggregate.block,
    })),
    beforeBlock: parameters.beforeBlock,
  });
  return lead?.aggregate;
}
