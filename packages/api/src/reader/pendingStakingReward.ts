import { REWARD_PRECISION } from '@tessera/contracts';
import type { PoolRecord, PositionRecord } from '../store/records.js';

/**
 * Staking rewards accrued to a position and not yet harvested, exactly as the contract's
 * `_pending` computes them: floor(stake × rewardPerStake / 1e27) − rewardDebt, at most what
 * the pool still holds.
 *
 * @example
 * pendingStakingReward({ position: { stake: '100', rewardDebt: '0' }, pool }); // 0n when the pool is empty
 */
export function pendingStakingReward(parameters: {
  position: PositionRecord;
  pool: PoolRecord | undefined;
}): bigint {
  const { position, pool } = parameters;
  if (!pool) return 0n;
  const accrued = (BigInt(position.stake) * BigInt(pool.rewardPerStake)) / REWARD_PRECISION;
  const debt = BigInt(position.rewardDebt);
  if (accrued <= debt) return 0n;
  const pending = accrued - debt;
  const outstanding = BigInt(pool.outstanding);
  return pending < outstanding ? pending : outstanding;
}
