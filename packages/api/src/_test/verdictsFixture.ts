import { encodeWindowVerdicts } from '@tessera/core';
import type { UidVerdict } from '@tessera/core';

/** The aggregate a verdicts fixture belongs to, as the chain or the index records it. */
export type FixtureAggregate = {
  window: number;
  validator: `0x${string}`;
  modelHash: `0x${string}`;
  uids: number[];
};

/**
 * Verdicts for `aggregate`'s window, fixed by hand: every uid of `miners` scored (its uid ÷ 10
 * as score, uid ÷ 100 as loss gain) when in the aggregation set, else rejected `missing:late`;
 * the file's bytes written by core's encoder, as a validator publishes them.
 *
 * @example
 * const { bytes, verdicts } = verdictsFixture({ aggregate, miners: [1, 2, 3] });
 */
export function verdictsFixture(parameters: { aggregate: FixtureAggregate; miners: readonly number[] }): {
  bytes: Uint8Array;
  verdicts: UidVerdict[];
} {
  const { aggregate } = parameters;
  const verdicts = parameters.miners.map((uid): UidVerdict => {
    const inAggregate = aggregate.uids.includes(uid);
    return inAggregate
      ? { uid, status: 'scored', reason: null, score: uid / 10, lossGain: uid / 100, inAggregate }
      : { uid, status: 'rejected', reason: 'missing:late', score: 0, lossGain: null, inAggregate };
  });
  const { bytes } = encodeWindowVerdicts({ ...aggregate, verdicts });
  return { bytes, verdicts };
}
