import { REWARD_PRECISION, settleEpochReference } from '@tessera/contracts';
import type {
  EpochBonds,
  EpochNeuron,
  EpochReveal,
  EpochSettlement,
  SubnetEvent,
  SubnetParams,
} from '@tessera/contracts';
import type { Logger } from '@tessera/core';
import { silentLogger } from '@tessera/core';
import type { IndexWriter } from '../store/createIndexWriter.js';
import type {
  AccountEpochRecord,
  AggregateRecord,
  BondsRecord,
  CheckpointRecord,
  ClaimRecord,
  CommitmentRecord,
  EpochRecord,
  EpochSummaryRecord,
  MinerPayoutRecord,
  NeuronRecord,
  PayoutRecord,
  PoolRecord,
  PositionRecord,
  ReferenceCheck,
  ValidatorPayoutRecord,
  WeightsRecord,
  WindowSummary,
} from '../store/records.js';

/** Parameters of {@link applySubnetEvents}. */
export type ApplySubnetEventsParameters = {
  writer: IndexWriter;
  /** The subnet's constants (the deployment's `params`): owner, time, settlement. */
  params: SubnetParams;
  /** Decoded events in chain order (block, then log index), none already in the index. */
  events: readonly SubnetEvent[];
  /** @default silentLogger */
  logger?: Logger | undefined;
};

/** What {@link applySubnetEvents} did. */
export type ApplySubnetEventsResult = {
  events: number;
  /** Epochs settled by these events, as recorded. */
  epochs: EpochRecord[];
};

type Settling = {
  epoch: number;
  miners: MinerPayoutRecord[];
  validators: Omit<ValidatorPayoutRecord, 'weights' | 'weightsTx'>[];
};

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const num = (value: bigint) => Number(value);

/** The float32 whose IEEE-754 bits the contract stores as an aggregate's norm bound. */
function normBoundOf(bits: bigint): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, Number(bits));
  return view.getFloat32(0);
}

/**
 * Applies Subnet events to the index through `writer` (nothing is written until the caller
 * commits): neurons, stakes and staking pools, commitments and aggregates per window, weight
 * commits and reveals per epoch (with the stake each commit snapshotted),
 * settled epochs with their per-uid payouts, and per-account credits, claims and per-epoch
 * payout history. At each EpochSettled it replays the settlement with the TypeScript reference
 * on the indexed state and records whether the chain's payouts match it.
 *
 * Accounts are credited exactly as the contract credits them, so an account's claimable
 * balance (credited − claimed + pending staking rewards) equals `pendingRewards(account)`.
 *
 * @returns How many events were applied and the epochs they settled.
 * @example
 * const events = decodeSubnetLogs({ logs });
 * await applySubnetEvents({ writer, params: deployment.params, events });
 * await writer.commit({ block: toBlock, hash });
 */
export async function applySubnetEvents(
  parameters: ApplySubnetEventsParameters,
): Promise<ApplySubnetEventsResult> {
  const { writer, params } = parameters;
  const logger = parameters.logger ?? silentLogger;
  const k = writer.keys;
  const epochs: EpochRecord[] = [];
  let settling: Settling | undefined;

  const getJson = async <T>(key: string, field: string | number): Promise<T | undefined> => {
    const value = await writer.hget(key, String(field));
    return value === undefined ? undefined : (JSON.parse(value) as T);
  };
  const putJson = (key: string, field: string | number, value: unknown) =>
    writer.hset(key, String(field), JSON.stringify(value));
  const addDecimal = async (key: string, field: string, amount: bigint) => {
    if (amount === 0n && (await writer.hget(key, field)) !== undefined) return;
    writer.hset(key, field, (BigInt((await writer.hget(key, field)) ?? '0') + amount).toString());
  };
  const totalNumber = async (field: string) => Number((await writer.hget(k.totals, field)) ?? '0');
  const neuron = (uid: number) => getJson<NeuronRecord>(k.neurons, uid);
  const pool = async (uid: number): Promise<PoolRecord> =>
    (await getJson<PoolRecord>(k.pools, uid)) ?? { rewardPerStake: '0', outstanding: '0' };
  /** Whether the registration that committed for `epoch` at `uid` still holds the uid. */
  const committerPresent = async (epoch: number, uid: number): Promise<boolean> => {
    const commit = await getJson<WeightsRecord>(k.epochWeights(epoch), uid);
    const holder = await neuron(uid);
    return (
      commit !== undefined &&
      holder?.role === 'validator' &&
      holder.hotkey === commit.hotkey &&
      holder.registrationBlock === commit.registrationBlock
    );
  };

  /** Credits `amount` to an account's claimable balance, counted under `kind`. */
  const credit = async (account: string, kind: PayoutRecord['kind'] | 'residue' | null, amount: bigint) => {
    if (amount === 0n) return;
    await addDecimal(k.account(account), 'credited', amount);
    if (kind) await addDecimal(k.account(account), `earned:${kind}`, amount);
  };
  const addPayout = async (account: string, event: SubnetEvent, epoch: number, payout: PayoutRecord) => {
    const key = k.accountPayouts(account);
    const record = (await getJson<AccountEpochRecord>(key, epoch)) ?? {
      epoch,
      block: event.blockNumber,
      tx: event.transactionHash,
      total: '0',
      payouts: [],
    };
    record.payouts.push(payout);
    record.total = (BigInt(record.total) + BigInt(payout.amount)).toString();
    putJson(key, epoch, record);
    writer.zadd(k.accountEpochs(account), epoch, String(epoch));
  };
  const setPosition = async (validatorUid: number, account: string, stake: bigint) => {
    const { rewardPerStake } = await pool(validatorUid);
    if (stake === 0n) {
      writer.hdel(k.account(account), `position:${validatorUid}`);
      writer.srem(k.stakers(validatorUid), account.toLowerCase());
      return;
    }
    const position: PositionRecord = {
      stake: stake.toString(),
      rewardDebt: ceilDiv(stake * BigInt(rewardPerStake), REWARD_PRECISION).toString(),
    };
    putJson(k.account(account), `position:${validatorUid}`, position);
    writer.sadd(k.stakers(validatorUid), account.toLowerCase());
  };
  const updateWindowSummary = async (window: number, change: keyof WindowSummary) => {
    const summary = (await getJson<WindowSummary>(k.windowSummaries, window)) ?? {
      commitments: 0,
      aggregates: 0,
      checkpoints: 0,
    };
    summary[change] += 1;
    putJson(k.windowSummaries, window, summary);
    writer.zadd(k.windows, window, String(window));
  };
  const startSettling = (epoch: number): Settling => {
    if (settling && settling.epoch !== epoch) {
      logger.warn('settlement events of an epoch ended without EpochSettled', { epoch: settling.epoch });
    }
    if (!settling || settling.epoch !== epoch) settling = { epoch, miners: [], validators: [] };
    return settling;
  };

  for (const event of parameters.events) {
    const at = { block: event.blockNumber, tx: event.transactionHash };
    switch (event.name) {
      case 'Registered': {
        const { uid: uidBig, hotkey, isValidator, burn } = event.args;
        const uid = num(uidBig);
        const record: NeuronRecord = {
          uid,
          hotkey,
          role: isValidator ? 'validator' : 'miner',
          registrationBlock: at.block,
          registrationEpoch: await totalNumber('nextEpoch'),
          registrationTx: at.tx,
          stake: '0',
          consensus: 0,
          incentive: 0,
          dividends: 0,
          earned: '0',
          weightsBlock: 0,
          weightsTx: null,
          weights: null,
          lastCommitment: null,
        };
        putJson(k.neurons, uid, record);
        writer.hset(k.hotkeys, hotkey.toLowerCase(), String(uid));
        if (isValidator)
          putJson(k.pools, uid, { rewardPerStake: '0', outstanding: '0' } satisfies PoolRecord);
        if (uid + 1 > (await totalNumber('uidCount'))) writer.hset(k.totals, 'uidCount', String(uid + 1));
        const counted = isValidator ? 'validators' : 'miners';
        writer.hset(k.totals, counted, String((await totalNumber(counted)) + 1));
        await addDecimal(k.totals, 'burned', burn);
        break;
      }
      case 'Pruned':
      case 'Deregistered': {
        const uid = num(event.args.uid);
        const hotkey = event.args.hotkey;
        if (event.name === 'Deregistered') {
          // The pool's rounding remainders go to the validator's hotkey.
          await credit(hotkey, 'residue', BigInt((await pool(uid)).outstanding));
          writer.hdel(k.pools, String(uid));
        }
        const counted = event.name === 'Deregistered' ? 'validators' : 'miners';
        writer.hset(k.totals, counted, String((await totalNumber(counted)) - 1));
        writer.hdel(k.neurons, String(uid));
        if ((await writer.hget(k.hotkeys, hotkey.toLowerCase())) === String(uid))
          writer.hdel(k.hotkeys, hotkey.toLowerCase());
        break;
      }
      case 'Staked':
      case 'Delegated':
      case 'Unstaked': {
        const { validatorUid, account, amount, positionStake, validatorStake } = event.args;
        const uid = num(validatorUid);
        const record = await neuron(uid);
        if (record) putJson(k.neurons, uid, { ...record, stake: validatorStake.toString() });
        await setPosition(uid, account, positionStake);
        await addDecimal(k.totals, 'staked', event.name === 'Unstaked' ? -amount : amount);
        break;
      }
      case 'StakeRewardsHarvested': {
        const { validatorUid, account, amount } = event.args;
        const uid = num(validatorUid);
        const current = await pool(uid);
        putJson(k.pools, uid, {
          ...current,
          outstanding: (BigInt(current.outstanding) - amount).toString(),
        } satisfies PoolRecord);
        await credit(account, null, amount);
        const position = await getJson<PositionRecord>(k.account(account), `position:${uid}`);
        if (position) await setPosition(uid, account, BigInt(position.stake));
        break;
      }
      case 'Claimed': {
        const { account, amount } = event.args;
        await addDecimal(k.account(account), 'claimed', amount);
        const claim: ClaimRecord = {
          block: at.block,
          tx: at.tx,
          logIndex: event.logIndex,
          amount: amount.toString(),
        };
        writer.zadd(k.accountClaims(account), at.block, JSON.stringify(claim));
        await addDecimal(k.totals, 'claimed', amount);
        break;
      }
      case 'Committed': {
        const { window, uid, hotkey, digest, modelHash, uri } = event.args;
        const record: CommitmentRecord = {
          window: num(window),
          uid: num(uid),
          hotkey,
          digest,
          modelHash,
          uri,
          block: at.block,
          tx: at.tx,
        };
        putJson(k.window(record.window), `commit:${record.uid}`, record);
        await updateWindowSummary(record.window, 'commitments');
        const miner = await neuron(record.uid);
        if (miner && miner.hotkey === hotkey)
          putJson(k.neurons, record.uid, { ...miner, lastCommitment: record });
        break;
      }
      case 'AggregatePublished': {
        const { window, validatorUid, validator, aggregateHash, normBound, uids, uri } = event.args;
        const record: AggregateRecord = {
          window: num(window),
          validatorUid: num(validatorUid),
          validator,
          aggregateHash,
          normBound: normBoundOf(normBound),
          uids: uids.map(num),
          uri,
          block: at.block,
          tx: at.tx,
        };
        putJson(k.window(record.window), `aggregate:${record.validatorUid}`, record);
        await updateWindowSummary(record.window, 'aggregates');
        break;
      }
      case 'CheckpointPublished': {
        const { window, validatorUid, validator, modelHash, uri } = event.args;
        const record: CheckpointRecord = {
          window: num(window),
          validatorUid: num(validatorUid),
          validator,
          modelHash,
          uri,
          block: at.block,
          tx: at.tx,
        };
        putJson(k.window(record.window), `checkpoint:${at.block}:${event.logIndex}`, record);
        await updateWindowSummary(record.window, 'checkpoints');
        break;
      }
      case 'WeightsCommitted': {
        const { epoch, validatorUid, hotkey, hash, stake } = event.args;
        const uid = num(validatorUid);
        const record: WeightsRecord = {
          epoch: num(epoch),
          uid,
          hotkey,
          stake: stake.toString(),
          registrationBlock: (await neuron(uid))?.registrationBlock ?? 0,
          commitBlock: at.block,
          commitTx: at.tx,
          hash,
          revealBlock: 0,
          revealTx: null,
          uids: [],
          weights: [],
        };
        // A later commit of the epoch replaces the earlier, on chain as here.
        putJson(k.epochWeights(record.epoch), uid, record);
        break;
      }
      case 'WeightsRevealed': {
        const epoch = num(event.args.epoch);
        const uid = num(event.args.validatorUid);
        const commit = await getJson<WeightsRecord>(k.epochWeights(epoch), uid);
        const weights = { uids: event.args.uids.map(num), weights: event.args.weights.map(num) };
        if (commit) {
          putJson(k.epochWeights(epoch), uid, {
            ...commit,
            revealBlock: at.block,
            revealTx: at.tx,
            ...weights,
          } satisfies WeightsRecord);
        } else {
          logger.warn('a reveal without an indexed commit', { epoch, uid });
        }
        const record = await neuron(uid);
        if (record) putJson(k.neurons, uid, { ...record, weightsBlock: at.block, weightsTx: at.tx, weights });
        break;
      }
      case 'MinerReward': {
        const { epoch: epochBig, uid: uidBig, hotkey, consensus, incentive, rank, amount } = event.args;
        const epoch = num(epochBig);
        const uid = num(uidBig);
        startSettling(epoch).miners.push({
          uid,
          hotkey,
          consensus: num(consensus),
          incentive: num(incentive),
          rank: rank.toString(),
          amount: amount.toString(),
        });
        const record = await neuron(uid);
        if (record) {
          putJson(k.neurons, uid, {
            ...record,
            consensus: num(consensus),
            incentive: num(incentive),
            dividends: 0,
            earned: (BigInt(record.earned) + amount).toString(),
          });
        }
        await credit(hotkey, 'mining', amount);
        await addPayout(hotkey, event, epoch, {
          kind: 'mining',
          uid,
          amount: amount.toString(),
          consensus: num(consensus),
          incentive: num(incentive),
          rank: rank.toString(),
        });
        break;
      }
      case 'ValidatorReward': {
        const {
          epoch: epochBig,
          uid: uidBig,
          hotkey,
          stake,
          revealBlock,
          dividends,
          amount,
          take,
        } = event.args;
        const { stakersShare, rewardPerStake } = event.args;
        const epoch = num(epochBig);
        const uid = num(uidBig);
        const present = await committerPresent(epoch, uid);
        startSettling(epoch).validators.push({
          uid,
          hotkey,
          stake: stake.toString(),
          weightsBlock: num(revealBlock),
          present,
          dividends: num(dividends),
          amount: amount.toString(),
          take: take.toString(),
          stakersShare: stakersShare.toString(),
          rewardPerStake: rewardPerStake.toString(),
        });
        const record = await neuron(uid);
        const payHotkey = async () => {
          await credit(hotkey, 'validating', take);
          await addPayout(hotkey, event, epoch, {
            kind: 'validating',
            uid,
            amount: take.toString(),
            poolAmount: amount.toString(),
            stakersShare: stakersShare.toString(),
            dividends: num(dividends),
          });
        };
        if (!present) {
          // The validator left after revealing: its whole part went to its hotkey; the uid's
          // pool, if any, belongs to whoever holds the uid now.
          await payHotkey();
          break;
        }
        if (record) {
          putJson(k.neurons, uid, {
            ...record,
            dividends: num(dividends),
            earned: (BigInt(record.earned) + take).toString(),
          });
        }
        await payHotkey();
        const before = BigInt((await pool(uid)).rewardPerStake);
        const current = await pool(uid);
        // The pool is shared by the stake on the validator at the settlement, not the snapshot.
        const poolStake = record?.stake ?? stake.toString();
        putJson(k.pools, uid, {
          rewardPerStake: rewardPerStake.toString(),
          outstanding: (BigInt(current.outstanding) + stakersShare).toString(),
        } satisfies PoolRecord);
        for (const staker of await writer.smembers(k.stakers(uid))) {
          const position = await getJson<PositionRecord>(k.account(staker), `position:${uid}`);
          if (!position) continue;
          const positionStake = BigInt(position.stake);
          const share =
            (positionStake * rewardPerStake) / REWARD_PRECISION - (positionStake * before) / REWARD_PRECISION;
          if (share === 0n) continue;
          await addDecimal(k.account(staker), 'earned:staking', share);
          await addPayout(staker, event, epoch, {
            kind: 'staking',
            validatorUid: uid,
            amount: share.toString(),
            positionStake: position.stake,
            validatorStake: poolStake,
            stakersShare: stakersShare.toString(),
            rewardPerStakeBefore: before.toString(),
            rewardPerStakeAfter: rewardPerStake.toString(),
          });
        }
        break;
      }
      case 'EpochSettled': {
        const args = event.args;
        const epoch = num(args.epoch);
        const current = startSettling(epoch);
        settling = undefined;
        const record = await settleEpoch({ event, epoch, current });
        epochs.push(record);
        await credit(params.owner, 'owner', args.ownerTotal);
        if (args.ownerTotal > 0n) {
          await addPayout(params.owner, event, epoch, { kind: 'owner', amount: args.ownerTotal.toString() });
        }
        await addDecimal(k.totals, 'minted', args.minted);
        await addDecimal(k.totals, 'minerTotal', args.minerTotal);
        await addDecimal(k.totals, 'validatorTotal', args.validatorTotal);
        await addDecimal(k.totals, 'ownerTotal', args.ownerTotal);
        writer.hset(k.totals, 'nextEpoch', String(epoch + 1));
        break;
      }
      default:
        logger.debug('event not indexed', { name: (event as { name: string }).name });
    }
  }
  if (settling)
    logger.warn('settlement events without EpochSettled in this range', { epoch: settling.epoch });
  writer.hset(k.totals, 'events', String((await totalNumber('events')) + parameters.events.length));
  return { events: parameters.events.length, epochs };

  /**
   * Records a settled epoch: runs the settlement reference on the indexed state as it was
   * before the settlement (rewards do not change its inputs), compares, stores the epoch
   * with the weights each active validator's payout came from, and moves bonds forward.
   */
  async function settleEpoch(input: {
    event: Extract<SubnetEvent, { name: 'EpochSettled' }>;
    epoch: number;
    current: Settling;
  }): Promise<EpochRecord> {
    const { event, epoch, current } = input;
    const args = event.args;
    const uidCount = await totalNumber('uidCount');
    const uids = Array.from({ length: uidCount }, (_, uid) => String(uid));
    const stored = (await writer.hgetMany(k.neurons, uids)).map((value) =>
      value === undefined ? undefined : (JSON.parse(value) as NeuronRecord),
    );
    const revealed = (await writer.hgetMany(k.epochWeights(epoch), uids))
      .flatMap((value) => (value === undefined ? [] : [JSON.parse(value) as WeightsRecord]))
      .filter((c) => c.revealBlock > 0);
    const storedBonds = await writer.hgetMany(
      k.bonds,
      revealed.map((c) => String(c.uid)),
    );

    const neurons: EpochNeuron[] = stored.map((n) =>
      n
        ? {
            kind: n.role,
            hotkey: n.hotkey,
            registrationBlock: n.registrationBlock,
            registrationEpoch: n.registrationEpoch,
          }
        : { kind: 'none', hotkey: '', registrationBlock: 0, registrationEpoch: 0 },
    );
    const dense = (c: WeightsRecord) => {
      const weights = new Array<number>(uidCount).fill(0);
      c.uids.forEach((target, i) => (weights[target] = c.weights[i] ?? 0));
      return weights;
    };
    const reveals: EpochReveal[] = revealed.map((c) => ({
      uid: c.uid,
      hotkey: c.hotkey,
      stake: BigInt(c.stake),
      registrationBlock: c.registrationBlock,
      commitBlock: c.commitBlock,
      revealBlock: c.revealBlock,
      weights: dense(c),
    }));
    const bonds: EpochBonds[] = revealed.flatMap((c, i) => {
      const json = storedBonds[i];
      if (json === undefined) return [];
      const b = JSON.parse(json) as BondsRecord;
      const row = Array.from({ length: uidCount }, (_, j) => b.bonds[j] ?? 0);
      return [
        { uid: c.uid, bonds: row, stamp: b.stamp, hotkey: b.hotkey, registrationBlock: b.registrationBlock },
      ];
    });

    let expected: EpochSettlement | undefined;
    let reference: ReferenceCheck;
    try {
      expected = settleEpochReference({ epoch, params, neurons, reveals, bonds });
      reference = { checked: true, matches: true, mismatches: compareSettlement(expected, args, current) };
      reference.matches = reference.mismatches.length === 0;
    } catch (error) {
      reference = {
        checked: false,
        matches: false,
        mismatches: [
          `the reference could not run: ${error instanceof Error ? error.message : String(error)}`,
        ],
      };
    }
    if (!reference.matches)
      logger.warn('epoch payouts differ from the settlement reference', { epoch, ...reference });

    const paid: ValidatorPayoutRecord[] = [];
    for (const v of current.validators) {
      const commit = revealed.find((c) => c.uid === v.uid);
      const masked: { uids: number[]; weights: number[] } = { uids: [], weights: [] };
      const pairs = (commit?.uids ?? [])
        .map((target, i) => [target, commit?.weights[i] ?? 0] as const)
        .filter(([target, weight]) => {
          const miner = stored[target];
          return (
            weight > 0 && miner?.role === 'miner' && miner.registrationBlock < (commit?.commitBlock ?? 0)
          );
        })
        .sort((a, b) => a[0] - b[0]);
      for (const [target, weight] of pairs) {
        masked.uids.push(target);
        masked.weights.push(weight);
      }
      paid.push({
        ...v,
        weights: masked,
        weightsTx: commit?.revealBlock === v.weightsBlock ? commit.revealTx : null,
      });
    }
    // Settlement writes bonds for the present validators it paid and zeroes the others' dividends.
    const paidPresent = new Set(current.validators.filter((v) => v.present).map((v) => v.uid));
    for (const n of stored) {
      if (!n || n.role !== 'validator') continue;
      if (paidPresent.has(n.uid)) {
        const commit = revealed.find((c) => c.uid === n.uid);
        const written = expected?.validators.find((v) => v.uid === n.uid)?.bonds;
        if (commit && written) {
          putJson(k.bonds, n.uid, {
            bonds: written,
            stamp: epoch + 1,
            hotkey: commit.hotkey,
            registrationBlock: commit.registrationBlock,
          } satisfies BondsRecord);
        }
      } else if (n.dividends !== 0) {
        putJson(k.neurons, n.uid, { ...((await neuron(n.uid)) ?? n), dividends: 0 });
      }
    }

    const summary: EpochSummaryRecord = {
      epoch,
      block: event.blockNumber,
      tx: event.transactionHash,
      minted: args.minted.toString(),
      minerTotal: args.minerTotal.toString(),
      validatorTotal: args.validatorTotal.toString(),
      ownerTotal: args.ownerTotal.toString(),
      activeStake: args.activeStake.toString(),
      activeValidators: num(args.activeValidators),
      referenceMatches: reference.matches,
    };
    const record: EpochRecord = { ...summary, miners: current.miners, validators: paid, reference };
    writer.zadd(k.epochs, epoch, String(epoch));
    putJson(k.epochSummaries, epoch, summary);
    writer.set(k.epoch(epoch), JSON.stringify(record));
    return record;
  }
}

/** Differences between the chain's settlement events and the reference, one line each. */
function compareSettlement(
  expected: EpochSettlement,
  args: Extract<SubnetEvent, { name: 'EpochSettled' }>['args'],
  current: Settling,
): string[] {
  const out: string[] = [];
  const same = (what: string, chain: unknown, reference: unknown) => {
    if (String(chain) !== String(reference))
      out.push(`${what}: chain ${String(chain)}, reference ${String(reference)}`);
  };
  same('minted', args.minted, expected.minted);
  same('minerTotal', args.minerTotal, expected.minerTotal);
  same('validatorTotal', args.validatorTotal, expected.validatorTotal);
  same('ownerTotal', args.ownerTotal, expected.ownerTotal);
  same('activeStake', args.activeStake, expected.activeStake);
  same('activeValidators', args.activeValidators, expected.active.length);
  same('miners', current.miners.map((m) => m.uid).join(','), expected.miners.map((m) => m.uid).join(','));
  for (const m of current.miners) {
    const e = expected.miners.find((x) => x.uid === m.uid);
    if (!e) continue;
    same(`miner ${m.uid} consensus`, m.consensus, e.consensus);
    same(`miner ${m.uid} incentive`, m.incentive, e.incentive);
    same(`miner ${m.uid} rank`, m.rank, e.rank);
    same(`miner ${m.uid} amount`, m.amount, e.amount);
  }
  const paid = [...current.validators].sort((a, b) => a.uid - b.uid);
  same('validators', paid.map((v) => v.uid).join(','), expected.validators.map((v) => v.uid).join(','));
  for (const v of paid) {
    const e = expected.validators.find((x) => x.uid === v.uid);
    if (!e) continue;
    same(`validator ${v.uid} stake`, v.stake, e.stake);
    same(`validator ${v.uid} present`, v.present, e.present);
    same(`validator ${v.uid} dividends`, v.dividends, e.dividends);
    same(`validator ${v.uid} amount`, v.amount, e.amount);
    same(`validator ${v.uid} take`, v.take, e.take);
    same(`validator ${v.uid} stakersShare`, v.stakersShare, e.stakersShare);
  }
  return out;
}
