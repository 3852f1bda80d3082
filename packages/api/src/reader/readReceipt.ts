import {
  BPS,
  CONSENSUS_ONE,
  MINER_SHARE_BPS,
  REWARD_PRECISION,
  VALIDATOR_SHARE_BPS,
  weightedMedian,
} from '@tessera/contracts';
import { checksumAddress } from './checksumAddress.js';
import type {
  AccountEpochRecord,
  EpochRecord,
  PayoutRecord,
  ValidatorPayoutRecord,
} from '../store/records.js';
import type { Receipt } from '../schemas/responses.js';
import type { ReaderContext } from './readerContext.js';
import { payoutToResponse, settlementToResponse } from './toResponse.js';

type Item = Receipt['items'][number];
type Check = Item['checks'][number];
type Weight = Item['weights'][number];

const check = (
  name: string,
  rule: string,
  expected: bigint | number,
  actual: bigint | number | string,
): Check => ({
  name,
  rule,
  expected: expected.toString(),
  actual: actual.toString(),
  matches: expected.toString() === actual.toString(),
});

const rowSum = (v: ValidatorPayoutRecord) => v.weights.weights.reduce((sum, w) => sum + BigInt(w), 0n);

const weightOf = (v: ValidatorPayoutRecord, minerUid: number): Weight => {
  const at = v.weights.uids.indexOf(minerUid);
  const weight = at === -1 ? 0 : (v.weights.weights[at] ?? 0);
  const sum = rowSum(v);
  return {
    validatorUid: v.uid,
    validator: v.hotkey,
    stake: v.stake,
    weightsBlock: v.weightsBlock,
    weightsTx: v.weightsTx,
    minerUid,
    weight,
    normalizedWeight: (sum === 0n ? 0n : (BigInt(weight) * CONSENSUS_ONE) / sum).toString(),
  };
};

const rowOf = (v: ValidatorPayoutRecord | undefined): Weight[] =>
  v ? v.weights.uids.map((uid) => weightOf(v, uid)) : [];

/** The evidence and checks of one payout, from the epoch it was settled in. */
function explain(payout: PayoutRecord, epoch: EpochRecord, takeBps: number, kappaBps: number): Item {
  const minted = BigInt(epoch.minted);
  const activeStake = BigInt(epoch.activeStake);
  switch (payout.kind) {
    case 'mining': {
      const weights = epoch.validators.map((v) => weightOf(v, payout.uid));
      const values = weights.map((w) => BigInt(w.normalizedWeight));
      const stakes = epoch.validators.map((v) => BigInt(v.stake));
      const consensus =
        activeStake === 0n
          ? 0n
          : weightedMedian({ values, stakes, threshold: BigInt(kappaBps) * activeStake });
      const rank =
        activeStake === 0n
          ? 0n
          : values.reduce(
              (sum, value, i) =>
                sum + ((stakes[i]! * CONSENSUS_ONE) / activeStake) * (value < consensus ? value : consensus),
              0n,
            );
      const rankTotal = epoch.miners.reduce((sum, m) => sum + BigInt(m.rank), 0n);
      const minerPool = (minted * MINER_SHARE_BPS) / BPS;
      const paid = minted > 0n && rankTotal > 0n;
      return {
        payout: payoutToResponse(payout),
        weights,
        checks: [
          check(
            'consensus',
            `stake-weighted median (kappa ${kappaBps} bps) of the normalized weights above, scale 1e9`,
            consensus,
            payout.consensus,
          ),
          check(
            'rank',
            'sum of stake × 1e9 / activeStake × min(normalized weight, consensus)',
            rank,
            payout.rank,
          ),
          check(
            'incentive',
            `rank × 1e9 / sum of the epoch's ranks (${rankTotal})`,
            paid ? (BigInt(payout.rank) * CONSENSUS_ONE) / rankTotal : 0n,
            payout.incentive,
          ),
          check(
            'amount',
            `miners' pool (${MINER_SHARE_BPS} bps of minted = ${minerPool}) × rank / ${rankTotal}`,
            paid ? (minerPool * BigInt(payout.rank)) / rankTotal : 0n,
            payout.amount,
          ),
        ],
      };
    }
    case 'validating': {
      const validator = epoch.validators.find((v) => v.uid === payout.uid);
      const poolAmount = BigInt(payout.poolAmount);
      // A validator that left after revealing has nobody staked on it: all of it is its own.
      const present = validator?.present ?? true;
      const take = present ? (poolAmount * BigInt(takeBps)) / BPS : poolAmount;
      const validatorTotal = epoch.validators.reduce((sum, v) => sum + BigInt(v.amount), 0n);
      return {
        payout: payoutToResponse(payout),
        weights: rowOf(validator),
        checks: [
          check(
            'take',
            present
              ? `pool amount × validator take (${takeBps} bps) / 10000`
              : 'the whole pool amount: the validator had left before the settlement',
            take,
            payout.amount,
          ),
          check('stakersShare', 'pool amount − take', poolAmount - take, payout.stakersShare),
          check(
            'validatorTotal',
            `the active validators' pool amounts add up to the validators' pool (${VALIDATOR_SHARE_BPS} bps of minted, less rounding)`,
            validatorTotal,
            epoch.validatorTotal,
          ),
        ],
      };
    }
    case 'staking': {
      const validator = epoch.validators.find((v) => v.uid === payout.validatorUid);
      const stake = BigInt(payout.positionStake);
      const before = BigInt(payout.rewardPerStakeBefore);
      const after = BigInt(payout.rewardPerStakeAfter);
      const validatorStake = BigInt(payout.validatorStake);
      return {
        payout: payoutToResponse(payout),
        weights: rowOf(validator),
        checks: [
          check(
            'rewardPerStake',
            "before + stakers' share × 1e27 / the validator's stake",
            validatorStake === 0n
              ? before
              : before + (BigInt(payout.stakersShare) * REWARD_PRECISION) / validatorStake,
            after,
          ),
          check(
            'amount',
            'floor(position stake × after / 1e27) − floor(position stake × before / 1e27)',
            (stake * after) / REWARD_PRECISION - (stake * before) / REWARD_PRECISION,
            payout.amount,
          ),
        ],
      };
    }
    case 'owner':
      return {
        payout: payoutToResponse(payout),
        weights: [],
        checks: [
          check(
            'amount',
            "minted − miners' total − validators' total (18 % plus every rounding remainder)",
            minted - BigInt(epoch.minerTotal) - BigInt(epoch.validatorTotal),
            payout.amount,
          ),
        ],
      };
  }
}

/** What {@link readReceipt} found. */
export type ReadReceiptResult =
  { found: true; receipt: Receipt } | { found: false; reason: 'epoch' | 'payout' };

/**
 * A receipt of what an account was paid in one epoch: for each payout, the settlement
 * transaction, the weights and stakes it came from, and checks that recompute it (consensus,
 * rank, incentive and amount for a miner; take for a validator; the pro-rata share for a
 * staker; the remainder for the owner) from those inputs.
 *
 * @returns The receipt, or why there is none (the epoch is not indexed, or paid the account nothing).
 * @example
 * const result = await readReceipt({ context, address, epoch: 12 });
 * if (result.found) console.log(result.receipt.verified);
 */
export async function readReceipt(parameters: {
  context: ReaderContext;
  address: string;
  epoch: number;
}): Promise<ReadReceiptResult> {
  const { context, epoch } = parameters;
  const { redis, keys, deployment } = context;
  const address = checksumAddress(parameters.address);
  const [accountJson, epochJson] = await Promise.all([
    redis.hget(keys.accountPayouts(address), String(epoch)),
    redis.get(keys.epoch(epoch)),
  ]);
  if (epochJson === null) return { found: false, reason: 'epoch' };
  if (accountJson === null) return { found: false, reason: 'payout' };
  const record = JSON.parse(epochJson) as EpochRecord;
  const paid = JSON.parse(accountJson) as AccountEpochRecord;
  const { validatorTakeBps, kappaBps } = deployment.params;
  const items = paid.payouts.map((payout) => explain(payout, record, validatorTakeBps, kappaBps));
  return {
    found: true,
    receipt: {
      address,
      epoch,
      settlement: {
        ...settlementToResponse(record),
        kappaBps,
        validatorTakeBps,
        referenceMismatches: record.reference.mismatches,
      },
      total: paid.total,
      verified: items.every((item) => item.checks.every((c) => c.matches)),
      items,
    },
  };
}
