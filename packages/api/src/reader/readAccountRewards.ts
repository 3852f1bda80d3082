import { getAddress } from 'ethers';
import type {
  AccountEpochRecord,
  ClaimRecord,
  NeuronRecord,
  PoolRecord,
  PositionRecord,
} from '../store/records.js';
import type { AccountRewards } from '../schemas/responses.js';
import { pendingStakingReward } from './pendingStakingReward.js';
import type { ReaderContext } from './readerContext.js';
import { payoutToResponse } from './toResponse.js';

/** Parameters of {@link readAccountRewards}. */
export type ReadAccountRewardsParameters = {
  context: ReaderContext;
  /** Any valid address; the answer carries it checksummed. */
  address: string;
  /** History entries per page. */
  limit: number;
  /** Only epochs below this one (the previous page's nextBefore). */
  before?: number | undefined;
};

/**
 * An account's rewards: claimable now (exactly what claim() would pay at the indexed block),
 * earned and claimed, earned by kind, staking positions, and a page of per-epoch payouts.
 *
 * Balances, positions and the page's epochs are read in one MULTI, so they describe the same
 * indexed block; the page's payouts are written once per epoch and never change.
 *
 * @example
 * const rewards = await readAccountRewards({ context, address, limit: 20 });
 * rewards.claimable; // '1250000000000000000'
 */
export async function readAccountRewards(parameters: ReadAccountRewardsParameters): Promise<AccountRewards> {
  const { context, limit } = parameters;
  const { redis, keys } = context;
  const address = getAddress(parameters.address);
  const max = parameters.before === undefined ? '+inf' : `(${parameters.before}`;
  const first = await redis
    .multi()
    .hgetall(keys.account(address))
    .zrevrangebyscore(keys.accountEpochs(address), max, '-inf', 'LIMIT', 0, limit + 1)
    .hgetall(keys.pools)
    .hget(keys.cursor, 'block')
    .hget(keys.hotkeys, address.toLowerCase())
    .zrevrange(keys.accountClaims(address), 0, 9)
    .exec();
  const [account, epochs, pools, cursorBlock, uid, claims] = (first ?? []).map(([error, value]) => {
    if (error) throw error;
    return value;
  }) as [Record<string, string>, string[], Record<string, string>, string | null, string | null, string[]];

  const pageEpochs = epochs.slice(0, limit);
  const [payouts, neuronJson] = await Promise.all([
    pageEpochs.length > 0 ? redis.hmget(keys.accountPayouts(address), ...pageEpochs) : Promise.resolve([]),
    uid === null ? Promise.resolve(null) : redis.hget(keys.neurons, uid),
  ]);

  const positions: AccountRewards['positions'] = [];
  let pending = 0n;
  for (const [field, value] of Object.entries(account)) {
    if (!field.startsWith('position:')) continue;
    const validatorUid = Number(field.slice('position:'.length));
    const position = JSON.parse(value) as PositionRecord;
    const poolJson = pools[String(validatorUid)];
    const amount = pendingStakingReward({
      position,
      pool: poolJson === undefined ? undefined : (JSON.parse(poolJson) as PoolRecord),
    });
    pending += amount;
    positions.push({ validatorUid, stake: position.stake, pending: amount.toString() });
  }
  positions.sort((a, b) => a.validatorUid - b.validatorUid);

  const credited = BigInt(account.credited ?? '0');
  const claimed = BigInt(account.claimed ?? '0');
  const earned = credited + pending;
  const neuron = neuronJson === null ? undefined : (JSON.parse(neuronJson) as NeuronRecord);
  return {
    address,
    asOfBlock: cursorBlock === null ? null : Number(cursorBlock),
    claimable: (earned - claimed).toString(),
    earned: earned.toString(),
    claimed: claimed.toString(),
    breakdown: {
      mining: account['earned:mining'] ?? '0',
      validating: account['earned:validating'] ?? '0',
      staking: account['earned:staking'] ?? '0',
      owner: account['earned:owner'] ?? '0',
    },
    neuron: neuron && neuron.hotkey === address ? { uid: neuron.uid, role: neuron.role } : null,
    positions,
    history: payouts.flatMap((json) => {
      if (json === null) return [];
      const record = JSON.parse(json) as AccountEpochRecord;
      return [{ ...record, payouts: record.payouts.map(payoutToResponse) }];
    }),
    nextBefore: epochs.length > limit ? Number(pageEpochs[pageEpochs.length - 1]) : null,
    claims: claims.map((json) => {
      const claim = JSON.parse(json) as ClaimRecord;
      return { block: claim.block, tx: claim.tx, amount: claim.amount };
    }),
  };
}
