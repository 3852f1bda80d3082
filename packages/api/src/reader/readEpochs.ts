import type { EpochRecord, EpochSummaryRecord } from '../store/records.js';
import type { EpochDetail, EpochList } from '../schemas/responses.js';
import type { ReaderContext } from './readerContext.js';
import { fractionOf, settlementToResponse } from './toResponse.js';

/**
 * A page of settled epochs, newest first.
 *
 * @example
 * const { epochs, nextBefore } = await readEpochs({ context, limit: 20 });
 */
export async function readEpochs(parameters: {
  context: ReaderContext;
  limit: number;
  before?: number | undefined;
}): Promise<EpochList> {
  const { context, limit } = parameters;
  const { redis, keys } = context;
  const max = parameters.before === undefined ? '+inf' : `(${parameters.before}`;
  const epochs = await redis.zrevrangebyscore(keys.epochs, max, '-inf', 'LIMIT', 0, limit + 1);
  const page = epochs.slice(0, limit);
  const summaries = page.length > 0 ? await redis.hmget(keys.epochSummaries, ...page) : [];
  return {
    epochs: summaries.flatMap((json) => (json === null ? [] : [JSON.parse(json) as EpochSummaryRecord])),
    nextBefore: epochs.length > limit ? Number(page[page.length - 1]) : null,
  };
}

/**
 * One settled epoch: the emission split, every miner's payout, every active validator's
 * payout with the weights settlement used, and how it compares with the settlement reference.
 *
 * @returns The epoch, or undefined when it is not settled or not indexed yet.
 * @example
 * const epoch = await readEpoch({ context, epoch: 3 });
 */
export async function readEpoch(parameters: {
  context: ReaderContext;
  epoch: number;
}): Promise<EpochDetail | undefined> {
  const { redis, keys } = parameters.context;
  const json = await redis.get(keys.epoch(parameters.epoch));
  if (json === null) return undefined;
  const record = JSON.parse(json) as EpochRecord;
  const minted = BigInt(record.minted);
  const share = (part: string) =>
    minted === 0n ? 0 : Number((BigInt(part) * 1_000_000_000n) / minted) / 1e9;
  return {
    epoch: record.epoch,
    ...settlementToResponse(record),
    split: {
      miners: share(record.minerTotal),
      validators: share(record.validatorTotal),
      owner: share(record.ownerTotal),
    },
    miners: record.miners.map((m) => ({
      uid: m.uid,
      address: m.hotkey,
      consensus: fractionOf(m.consensus),
      incentive: fractionOf(m.incentive),
      rank: m.rank,
      amount: m.amount,
    })),
    validators: record.validators.map((v) => ({
      uid: v.uid,
      address: v.hotkey,
      stake: v.stake,
      weightsBlock: v.weightsBlock,
      weightsTx: v.weightsTx,
      weights: v.weights,
      dividends: fractionOf(v.dividends),
      amount: v.amount,
      take: v.take,
      stakersShare: v.stakersShare,
      rewardPerStake: v.rewardPerStake,
    })),
    referenceMismatches: record.reference.mismatches,
  };
}
