import { REWARD_PRECISION, settleEpochReference } from '@tessera/contracts';
import type { EpochBonds, EpochNeuron, EpochReveal, SubnetEvent, SubnetParams } from '@tessera/contracts';
import {
  createRandom,
  deadlineOfWindow,
  startBlockOfEpoch,
  startBlockOfWindow,
  windowsOfEpoch,
} from '@tessera/core';
import { dataSlice, getAddress, id, keccak256, toUtf8Bytes } from 'ethers';

/** Parameters of {@link simulateSubnetEvents}. */
export type SimulateSubnetEventsParameters = {
  /** Address the events claim to come from (the Subnet contract). */
  subnet: string;
  /** The subnet's constants; settlement follows them exactly. */
  params: SubnetParams;
  miners: number;
  validators: number;
  /** Token holders who delegate to the validators. */
  delegators: number;
  /** Epochs whose weights are committed, revealed and settled. */
  epochs: number;
  /** Seed of the pseudo-random scores, stakes and losses. @default 1 */
  seed?: number | undefined;
  /** Block of the registrations. @default params.startBlock */
  firstBlock?: number | undefined;
  /**
   * The model file URI each window's aggregate names (its verdicts file lies beside it).
   * @default (window) => `file:///aggregates/${window}.tsru`
   */
  aggregateUri?: ((window: number) => string) | undefined;
};

/** A simulated subnet's events and who took part. */
export type SimulatedSubnet = {
  /** Events in chain order, as decodeSubnetLogs returns them. */
  events: SubnetEvent[];
  miners: string[];
  validators: string[];
  delegators: string[];
  /** Held-out loss per window, as a validator would report it. */
  heldOutLoss: Map<number, number>;
  lastBlock: number;
};

const TOKEN = 10n ** 18n;

type Draft = { block: number; tx: string; name: string; args: Record<string, unknown> };

/**
 * A deterministic run of a subnet as plain events, without a chain: registrations, stake and
 * delegation, a commitment per miner and window, an aggregate per window, each validator's
 * weight commit in an epoch's last window and its reveal at the start of the next epoch,
 * settlements at the first block of epoch + 2 computed by the settlement reference (so they are
 * what the contract would pay), and claims. For the API's benchmark, browser test and demos;
 * the chain tests use anvil.
 *
 * @returns The events in chain order and the accounts involved.
 * @example
 * const { events } = simulateSubnetEvents({ subnet: deployment.subnet, params, miners: 40, validators: 4, delegators: 60, epochs: 75 });
 * await applySubnetEvents({ writer, params, events });
 */
export function simulateSubnetEvents(parameters: SimulateSubnetEventsParameters): SimulatedSubnet {
  const { params, subnet } = parameters;
  const seed = parameters.seed ?? 1;
  const aggregateUri = parameters.aggregateUri ?? ((window: number) => `file:///aggregates/${window}.tsru`);
  const { next: random } = createRandom({ seed });
  const account = (role: string, i: number) =>
    getAddress(dataSlice(id(`tessera-sim-${seed}-${role}-${i}`), 12));
  const hash = (text: string) => keccak256(toUtf8Bytes(text));
  let txCounter = 0;
  const newTx = () => hash(`tessera-sim-tx-${seed}-${txCounter++}`);
  const drafts: Draft[] = [];
  const push = (block: number, tx: string, name: string, args: Record<string, unknown>) =>
    drafts.push({ block, tx, name, args });

  const windowStart = (window: number) => startBlockOfWindow({ window, ...params });
  const epochStart = (epoch: number) => startBlockOfEpoch({ epoch, ...params });
  const firstBlock = Math.max(parameters.firstBlock ?? params.startBlock, params.startBlock);
  const miners = Array.from({ length: parameters.miners }, (_, i) => account('miner', i));
  const validators = Array.from({ length: parameters.validators }, (_, i) => account('validator', i));
  const delegators = Array.from({ length: parameters.delegators }, (_, i) => account('delegator', i));

  // ------------------------------------------------------------ registration and stake
  const neurons: EpochNeuron[] = [];
  const hotkeys: string[] = [];
  type Validator = {
    uid: number;
    stake: bigint;
    bonds: number[];
    bondsStamp: number;
    rewardPerStake: bigint;
    outstanding: bigint;
  };
  const vstate = new Map<number, Validator>();
  const positions = new Map<string, { stake: bigint; debt: bigint }>();
  const unclaimed = new Map<number, bigint>();
  const quality: number[] = [];

  validators.forEach((hotkey) => {
    const uid = neurons.length;
    const stake = (1000n + BigInt(Math.floor(random() * 4000))) * TOKEN;
    neurons.push({ kind: 'validator', hotkey, registrationBlock: firstBlock, registrationEpoch: 0 });
    hotkeys.push(hotkey);
    quality.push(0);
    vstate.set(uid, { uid, stake, bonds: [], bondsStamp: 0, rewardPerStake: 0n, outstanding: 0n });
    positions.set(`${uid}:${hotkey}`, { stake, debt: 0n });
    const tx = newTx();
    push(firstBlock, tx, 'Registered', { uid: BigInt(uid), hotkey, isValidator: true, burn: 0n });
    push(firstBlock, tx, 'Staked', {
      validatorUid: BigInt(uid),
      account: hotkey,
      amount: stake,
      positionStake: stake,
      validatorStake: stake,
    });
  });
  miners.forEach((hotkey) => {
    const uid = neurons.length;
    neurons.push({ kind: 'miner', hotkey, registrationBlock: firstBlock, registrationEpoch: 0 });
    hotkeys.push(hotkey);
    quality.push(0.2 + random());
    push(firstBlock, newTx(), 'Registered', {
      uid: BigInt(uid),
      hotkey,
      isValidator: false,
      burn: params.registrationBurn,
    });
  });
  const validatorUids = [...vstate.keys()];
  delegators.forEach((holder, i) => {
    const uid = validatorUids[i % validatorUids.length]!;
    const v = vstate.get(uid)!;
    const amount = (10n + BigInt(Math.floor(random() * 500))) * TOKEN;
    v.stake += amount;
    positions.set(`${uid}:${holder}`, { stake: amount, debt: 0n });
    push(firstBlock, newTx(), 'Delegated', {
      validatorUid: BigInt(uid),
      account: holder,
      amount,
      positionStake: amount,
      validatorStake: v.stake,
    });
  });
  const n = neurons.length;
  for (const v of vstate.values()) v.bonds = new Array<number>(n).fill(0);
  const minerUids = neurons.flatMap((nr, uid) => (nr.kind === 'miner' ? [uid] : []));
  const heldOutLoss = new Map<number, number>();

  // ------------------------------------------------------------ epochs
  let lastBlock = firstBlock;
  for (let epoch = 0; epoch < parameters.epochs; epoch++) {
    const { first: firstWindow, last: lastWindow } = windowsOfEpoch({ epoch, ...params });
    for (let w = firstWindow; w <= lastWindow; w++) {
      const commitBlock = Math.max(windowStart(w), firstBlock + 1);
      const scores = minerUids.map((uid) => ({ uid, score: quality[uid]! * (0.7 + 0.6 * random()) }));
      for (const uid of minerUids) {
        push(commitBlock, newTx(), 'Committed', {
          window: BigInt(w),
          uid: BigInt(uid),
          hotkey: hotkeys[uid]!,
          digest: hash(`update-${seed}-${w}-${uid}`),
          modelHash: hash(`model-${seed}-${w}`),
          uri: `file:///updates/${w}/${uid}.tsru`,
        });
      }
      const chosen = scores
        .sort((a, b) => b.score - a.score)
        .slice(0, Math.min(4, scores.length))
        .map((s) => s.uid)
        .sort((a, b) => a - b);
      const deadline = deadlineOfWindow({ window: w, ...params });
      const publisher = validatorUids[0];
      if (publisher !== undefined) {
        push(deadline, newTx(), 'AggregatePublished', {
          window: BigInt(w),
          validatorUid: BigInt(publisher),
          validator: hotkeys[publisher]!,
          aggregateHash: hash(`aggregate-${seed}-${w}`),
          normBound: BigInt(float32Bits(0.5 + random())),
          uids: chosen.map(BigInt),
          uri: aggregateUri(w),
        });
      }
      heldOutLoss.set(w, 2.1 + 4.2 * Math.exp(-w / 40) + 0.05 * (random() - 0.5));
      lastBlock = Math.max(lastBlock, deadline);
    }

    // weights: committed in the epoch's last window, revealed at the start of the next epoch
    const commitBlock = Math.max(windowStart(lastWindow) + 1, firstBlock + 1);
    const revealBlock = epochStart(epoch + 1) + 1;
    const reveals: EpochReveal[] = [];
    for (const uid of validatorUids) {
      const v = vstate.get(uid)!;
      const raw = minerUids.map((m) => quality[m]! * (0.8 + 0.4 * random()));
      const top = Math.max(...raw, 1e-9);
      const weights = raw.map((r) => Math.max(1, Math.round((r / top) * 65535)));
      const dense = new Array<number>(n).fill(0);
      minerUids.forEach((m, k) => (dense[m] = weights[k]!));
      push(commitBlock, newTx(), 'WeightsCommitted', {
        epoch: BigInt(epoch),
        validatorUid: BigInt(uid),
        hotkey: hotkeys[uid]!,
        hash: hash(`weights-${seed}-${epoch}-${uid}`),
        stake: v.stake,
      });
      push(revealBlock, newTx(), 'WeightsRevealed', {
        epoch: BigInt(epoch),
        validatorUid: BigInt(uid),
        hotkey: hotkeys[uid]!,
        uids: minerUids.map(BigInt),
        weights: weights.map(BigInt),
      });
      reveals.push({
        uid,
        hotkey: hotkeys[uid]!,
        stake: v.stake,
        registrationBlock: firstBlock,
        commitBlock,
        revealBlock,
        weights: dense,
      });
    }

    // settlement, at the first block after the epoch's reveal period
    const endBlock = epochStart(epoch + 2);
    const bonds: EpochBonds[] = [...vstate.values()].map((v) => ({
      uid: v.uid,
      bonds: v.bonds,
      stamp: v.bondsStamp,
      hotkey: hotkeys[v.uid]!,
      registrationBlock: firstBlock,
    }));
    const settlement = settleEpochReference({ epoch, params, neurons, reveals, bonds });
    const tx = newTx();
    for (const m of settlement.miners) {
      unclaimed.set(m.uid, (unclaimed.get(m.uid) ?? 0n) + m.amount);
      push(endBlock, tx, 'MinerReward', {
        epoch: BigInt(epoch),
        uid: BigInt(m.uid),
        hotkey: hotkeys[m.uid]!,
        consensus: m.consensus,
        incentive: m.incentive,
        rank: m.rank,
        amount: m.amount,
      });
    }
    for (const r of settlement.validators) {
      const v = vstate.get(r.uid)!;
      if (r.stakersShare > 0n) {
        v.rewardPerStake += (r.stakersShare * REWARD_PRECISION) / v.stake;
        v.outstanding += r.stakersShare;
      }
      v.bonds = r.bonds;
      v.bondsStamp = epoch + 1;
      push(endBlock, tx, 'ValidatorReward', {
        epoch: BigInt(epoch),
        uid: BigInt(r.uid),
        hotkey: hotkeys[r.uid]!,
        stake: r.stake,
        revealBlock: BigInt(r.revealBlock),
        dividends: r.dividends,
        amount: r.amount,
        take: r.take,
        stakersShare: r.stakersShare,
        rewardPerStake: v.rewardPerStake,
      });
    }
    push(endBlock, tx, 'EpochSettled', {
      epoch: BigInt(epoch),
      minted: settlement.minted,
      minerTotal: settlement.minerTotal,
      validatorTotal: settlement.validatorTotal,
      ownerTotal: settlement.ownerTotal,
      activeStake: settlement.activeStake,
      activeValidators: BigInt(settlement.active.length),
    });

    // claims a block later: some miners, and some delegators (who harvest first)
    const claimBlock = endBlock + 1;
    for (const uid of minerUids) {
      const amount = unclaimed.get(uid) ?? 0n;
      if (uid % 3 !== epoch % 3 || amount === 0n) continue;
      unclaimed.set(uid, 0n);
      push(claimBlock, newTx(), 'Claimed', { account: hotkeys[uid]!, amount });
    }
    delegators.forEach((holder, i) => {
      if (i % 4 !== epoch % 4) return;
      const uid = validatorUids[i % validatorUids.length]!;
      const v = vstate.get(uid)!;
      const position = positions.get(`${uid}:${holder}`)!;
      const accrued = (position.stake * v.rewardPerStake) / REWARD_PRECISION;
      let pending = accrued > position.debt ? accrued - position.debt : 0n;
      if (pending > v.outstanding) pending = v.outstanding;
      if (pending === 0n) return;
      v.outstanding -= pending;
      position.debt = (position.stake * v.rewardPerStake + REWARD_PRECISION - 1n) / REWARD_PRECISION;
      const claimTx = newTx();
      push(claimBlock, claimTx, 'StakeRewardsHarvested', {
        validatorUid: BigInt(uid),
        account: holder,
        amount: pending,
      });
      push(claimBlock, claimTx, 'Claimed', { account: holder, amount: pending });
    });
    lastBlock = Math.max(lastBlock, claimBlock);
  }

  // chain order: by block, keeping the order of emission within a block
  const ordered = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.block - b.d.block || a.i - b.i);
  const logIndex = new Map<number, number>();
  const events = ordered.map(({ d }) => {
    const index = logIndex.get(d.block) ?? 0;
    logIndex.set(d.block, index + 1);
    return {
      name: d.name,
      args: d.args,
      address: subnet,
      blockNumber: d.block,
      transactionHash: d.tx,
      logIndex: index,
    } as SubnetEvent;
  });
  return { events, miners, validators, delegators, heldOutLoss, lastBlock };
}

/** IEEE-754 float32 bits of `value` rounded to a float32, as the contract stores a norm bound. */
function float32Bits(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0);
}
