import { checksumAddress } from './checksumAddress.js';
import type {
  AccountEpochRecord,
  ClaimRecord,
  NeuronRecord,
  PoolRecord,
  PositionRecord,
} from '../store/records.js';
import type { AccountRewards } from '../schemas/responses.js';
import { pendingStakingReward } from './pendingStakingReward.js';
import { runScript } from './runScript.js';
import type { ReaderContext } from './readerContext.js';
import { payoutToResponse } from './toResponse.js';

/**
 * Everything an account's rewards need, read in one round trip and one atomic step, so the
 * balances, positions, pools and the page of history all describe the same indexed block.
 * KEYS: account, its epochs, pools, cursor, hotkeys, its claims, its payouts, neurons.
 * ARGV: highest epoch score (or +inf), page size + 1, the address in lower case.
 */
const readAccountScript = `
local account = redis.call('HGETALL', KEYS[1])
local epochs = redis.call('ZREVRANGEBYSCORE', KEYS[2], ARGV[1], '-inf', 'LIMIT', 0, tonumber(ARGV[2]))
local pools = redis.call('HGETALL', KEYS[3])
local cursor = redis.call('HGET', KEYS[4], 'block')
local uid = redis.call('HGET', KEYS[5], ARGV[3])
local claims = redis.call('ZREVRANGE', KEYS[6], 0, 9)
local payouts = {}
if #epochs > 0 then payouts = redis.call('HMGET', KEYS[7], unpack(epochs)) end
local neuron = false
if uid then neuron = redis.call('HGET', KEYS[8], uid) end
return { account, epochs, pools, cursor, claims, payouts, neuron }
`;

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
 * Everything is read by one Lua script, atomically, so the answer describes one indexed block.
 *
 * @example
 * const rewards = await readAccountRewards({ context, address, limit: 20 });
 * rewards.claimable; // '1250000000000000000'
 */
export async function readAccountRewards(parameters: ReadAccountRewardsParameters): Promise<AccountRewards> {
  const { context, limit } = parameters;
  const { redis, keys } = context;
  const address = checksumAddress(parameters.address);
  const max = parameters.before === undefined ? '+inf' : `(${parameters.before}`;
  const [account, epochs, pools, cursorBlock, claims, payouts, neuronJson] = (await runScript({
    redis,
    script: readAccountScript,
    keys: [
      keys.account(address),
      keys.accountEpochs(address),
      keys.pools,
      keys.cursor,
      keys.hotkeys,
      keys.accountClaims(address),
      keys.accountPayouts(address),
      keys.neurons,
    ],
    args: [max, String(limit + 1), address.toLowerCase()],
  })) as [string[], string[], string[], string | null, string[], (string | null)[], string | null];
  const pageEpochs = epochs.slice(0, limit);
  const poolOf = new Map<string, string>();
  for (let i = 0; i + 1 < pools.length; i += 2) poolOf.set(pools[i]!, pools[i + 1]!);

  const positions: AccountRewards['positions'] = [];
  let pending = 0n;
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < account.length; i += 2) fields.set(account[i]!, account[i + 1]!);
  for (const [field, value] of fields) {
    if (!field.startsWith('position:')) continue;
    const validatorUid = Number(field.slice('position:'.length));
    const position = JSON.parse(value) as PositionRecord;
    const poolJson = poolOf.get(String(validatorUid));
    const amount = pendingStakingReward({
      position,
      pool: poolJson === undefined ? undefined : (JSON.parse(poolJson) as PoolRecord),
    });
    pending += amount;
    positions.push({ validatorUid, stake: position.stake, pending: amount.toString() });
  }
  positions.sort((a, b) => a.validatorUid - b.validatorUid);

  const credited = BigInt(fields.get('credited') ?? '0');
  const claimed = BigInt(fields.get('claimed') ?? '0');
  const earned = credited + pending;
  const neuron = neuronJson === null ? undefined : (JSON.parse(neuronJson) as NeuronRecord);
  return {
    address,
    asOfBlock: cursorBlock === null ? null : Number(cursorBlock),
    claimable: (earned - claimed).toString(),
    earned: earned.toString(),
    claimed: claimed.toString(),
    breakdown: {
      mining: fields.get('earned:mining') ?? '0',
      validating: fields.get('earned:validating') ?? '0',
      staking: fields.get('earned:staking') ?? '0',
      owner: fields.get('earned:owner') ?? '0',
    },
    neuron: neuron && neuron.hotkey === address ? { uid: neuron.uid, role: neuron.role } : null,
    positions,
    history: payouts.slice(0, limit).flatMap((json) => {
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
