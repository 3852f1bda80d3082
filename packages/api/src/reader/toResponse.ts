// Conversions from the records the indexer stores to the API's response shapes.
import { CONSENSUS_ONE } from '@tessera/contracts';
import type { CommitmentRecord, EpochRecord, PayoutRecord, Totals } from '../store/records.js';
import type { Commitment, Payout } from '../schemas/responses.js';

const one = Number(CONSENSUS_ONE);

/** A u32 value scaled by 1e9 as a number in [0, 1]. */
export function fractionOf(scaled: number): number {
  return scaled / one;
}

/** A stored commitment as the API shows it. */
export function commitmentToResponse(record: CommitmentRecord): Commitment {
  return {
    window: record.window,
    uid: record.uid,
    address: record.hotkey,
    digest: record.digest,
    modelHash: record.modelHash,
    uri: record.uri,
    block: record.block,
    tx: record.tx,
  };
}

/** A stored payout as the API shows it (fractions in [0, 1]). */
export function payoutToResponse(record: PayoutRecord): Payout {
  switch (record.kind) {
    case 'mining':
      return {
        kind: 'mining',
        amount: record.amount,
        uid: record.uid,
        consensus: fractionOf(record.consensus),
        incentive: fractionOf(record.incentive),
        rank: record.rank,
      };
    case 'validating':
      return {
        kind: 'validating',
        amount: record.amount,
        uid: record.uid,
        poolAmount: record.poolAmount,
        stakersShare: record.stakersShare,
        dividends: fractionOf(record.dividends),
      };
    case 'staking':
      return {
        kind: 'staking',
        amount: record.amount,
        validatorUid: record.validatorUid,
        positionStake: record.positionStake,
        validatorStake: record.validatorStake,
        stakersShare: record.stakersShare,
        rewardPerStakeBefore: record.rewardPerStakeBefore,
        rewardPerStakeAfter: record.rewardPerStakeAfter,
      };
    case 'owner':
      return { kind: 'owner', amount: record.amount };
  }
}

/** The `totals` hash as HGETALL returns it, parsed (absent fields are zero). */
export function parseTotals(stored: Record<string, string>): Totals {
  const big = (field: string) => BigInt(stored[field] ?? '0');
  const int = (field: string) => Number(stored[field] ?? '0');
  return {
    minted: big('minted'),
    minerTotal: big('minerTotal'),
    validatorTotal: big('validatorTotal'),
    ownerTotal: big('ownerTotal'),
    claimed: big('claimed'),
    staked: big('staked'),
    burned: big('burned'),
    nextEpoch: int('nextEpoch'),
    uidCount: int('uidCount'),
    miners: int('miners'),
    validators: int('validators'),
    events: int('events'),
  };
}

/**
 * What an epoch's settlement moved, as the epoch and receipt routes both answer it: its
 * transaction, the tokens minted and their split, and the active stake and validators.
 */
export function settlementToResponse(record: EpochRecord) {
  return {
    block: record.block,
    tx: record.tx,
    minted: record.minted,
    minerTotal: record.minerTotal,
    validatorTotal: record.validatorTotal,
    ownerTotal: record.ownerTotal,
    activeStake: record.activeStake,
    activeValidators: record.activeValidators,
    referenceMatches: record.referenceMatches,
  };
}
