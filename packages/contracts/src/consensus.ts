// The TypeScript reference of a Subnet's epoch settlement: the same integer operations as
// contracts/YumaConsensus.sol and contracts/SubnetSettlement.sol, division for division, so
// the results match the chain exactly. Validators and the API use it to predict and explain
// rewards; the chain tests compare it with settleEpoch on random cases.

import type { SubnetParams } from './resolveSubnetParams.js';

/** Fixed-point one of weights, consensus, incentive and dividends (1e9). */
export const CONSENSUS_ONE = 1_000_000_000n;
/** Fixed-point one of stored bonds (u16). */
export const BOND_ONE = 65_535n;
/** Basis points. */
export const BPS = 10_000n;
/** Miners' share of an epoch's emission, in basis points. */
export const MINER_SHARE_BPS = 4_100n;
/** Validators' share (with their stakers) of an epoch's emission, in basis points. */
export const VALIDATOR_SHARE_BPS = 4_100n;
/** Fixed-point one of a validator's rewardPerStake. */
export const REWARD_PRECISION = 10n ** 27n;

/** One active validator as {@link yumaConsensus} takes it. */
export type YumaValidator = {
  /** Total stake (self plus delegated). */
  stake: bigint;
  /** Raw u16 weights by uid, already masked (zeros on non-miners and on uids registered after the weights); non-zero sum. */
  weights: readonly number[];
  /** Previous u16 bonds by uid; all zeros when they are void. */
  bonds: readonly number[];
};

/** Parameters of {@link yumaConsensus}. */
export type YumaInput = {
  /** Stake share a weight's supporters must strictly exceed for it to be the consensus, basis points. */
  kappaBps: number;
  /** Weight of the new bonds in the moving average, basis points. */
  bondsAlphaBps: number;
  /** Per uid: whether it is a registered miner. */
  isMiner: readonly boolean[];
  /** Per uid: whether its previous bonds are void (registered since the last settlement). */
  freshColumn: readonly boolean[];
  validators: readonly YumaValidator[];
};

/** What {@link yumaConsensus} computes; per-validator arrays follow `input.validators`. */
export type YumaOutput = {
  activeStake: bigint;
  /** stake × 1e9 / activeStake. */
  normStake: bigint[];
  /** Per uid, scaled by 1e9 (zero for non-miners). */
  consensus: bigint[];
  /** Per uid: Σ normStake × min(weight, consensus), scale 1e18. */
  rank: bigint[];
  rankTotal: bigint;
  /** New u16 bonds, per validator then uid. */
  bonds: number[][];
  /** Per validator: Σ bond × rank. */
  dividend: bigint[];
  dividendTotal: bigint;
};

/**
 * The stake-weighted consensus of one column: the largest value v among `values` (or 0) such
 * that the validators giving at least v hold `stake × 10 000 > threshold`, strictly, where
 * threshold is kappaBps × total stake. With kappa 5000 it is the stake-weighted median, and an
 * exact 50/50 split takes the lower value. Stakes are compared as exact integers.
 *
 * @example
 * weightedMedian({ values: [3n, 1n, 2n], stakes: [1n, 1n, 1n], threshold: 5000n * 3n }); // 2n
 * weightedMedian({ values: [7n, 3n], stakes: [1n, 1n], threshold: 5000n * 2n }); // 3n
 */
export function weightedMedian(parameters: {
  values: readonly bigint[];
  stakes: readonly bigint[];
  threshold: bigint;
}): bigint {
  const { values, stakes, threshold } = parameters;
  if (!values.some((v) => v > 0n)) return 0n;
  const order = values
    .map((_, i) => i)
    .sort((a, b) => (values[b]! > values[a]! ? 1 : values[b]! < values[a]! ? -1 : 0));
  let supporting = 0n;
  for (const i of order) {
    if (values[i]! === 0n) break;
    supporting += stakes[i]!;
    if (supporting * BPS > threshold) return values[i]!;
  }
  return 0n;
}

/**
 * Yuma-style consensus over the active validators of an epoch: normalized stake and weights,
 * consensus per miner (kappa-weighted median), weights clipped to it, rank, bonds moving
 * average (column-normalized to u16) and dividends. Every division rounds down, exactly as
 * the contract does.
 *
 * @returns Per-uid consensus and rank, per-validator bonds and dividends.
 * @throws RangeError when a validator's weights sum to zero (the contract leaves such validators out).
 * @example
 * const out = yumaConsensus({ kappaBps: 5000, bondsAlphaBps: 1000, isMiner, freshColumn, validators });
 * const incentive = out.rank.map((r) => (out.rankTotal === 0n ? 0n : (r * CONSENSUS_ONE) / out.rankTotal));
 */
export function yumaConsensus(input: YumaInput): YumaOutput {
  const n = input.isMiner.length;
  const k = input.validators.length;
  const alpha = BigInt(input.bondsAlphaBps);
  const stakes = input.validators.map((v) => v.stake);
  const activeStake = stakes.reduce((a, b) => a + b, 0n);
  const normStake = stakes.map((s) => (s * CONSENSUS_ONE) / activeStake);
  const rowSums = input.validators.map((v, i) => {
    let sum = 0n;
    for (let j = 0; j < n; j++) sum += BigInt(v.weights[j] ?? 0);
    if (sum === 0n) throw new RangeError(`validator ${i} has no weight on any miner`);
    return sum;
  });
  const threshold = BigInt(input.kappaBps) * activeStake;
  const out: YumaOutput = {
    activeStake,
    normStake,
    consensus: new Array<bigint>(n).fill(0n),
    rank: new Array<bigint>(n).fill(0n),
    rankTotal: 0n,
    bonds: input.validators.map(() => new Array<number>(n).fill(0)),
    dividend: new Array<bigint>(k).fill(0n),
    dividendTotal: 0n,
  };

  for (let j = 0; j < n; j++) {
    if (!input.isMiner[j]) continue;
    const values = input.validators.map((v, i) => (BigInt(v.weights[j] ?? 0) * CONSENSUS_ONE) / rowSums[i]!);
    const c = weightedMedian({ values, stakes, threshold });
    const delta = values.map((value, i) => normStake[i]! * (value < c ? value : c));
    const r = delta.reduce((a, b) => a + b, 0n);
    const ema = delta.map((d, i) => {
      const normalized = r === 0n ? 0n : (d * CONSENSUS_ONE) / r;
      const previous = input.freshColumn[j] ? 0n : BigInt(input.validators[i]!.bonds[j] ?? 0);
      return alpha * normalized * BOND_ONE + (BPS - alpha) * previous * CONSENSUS_ONE;
    });
    const columnEma = ema.reduce((a, b) => a + b, 0n);
    for (let i = 0; i < k; i++) {
      const bond = columnEma === 0n ? 0n : (ema[i]! * BOND_ONE) / columnEma;
      out.bonds[i]![j] = Number(bond);
      out.dividend[i]! += bond * r;
    }
    out.consensus[j] = c;
    out.rank[j] = r;
    out.rankTotal += r;
  }
  out.dividendTotal = out.dividend.reduce((a, b) => a + b, 0n);
  return out;
}

/** A uid's state at settlement, as {@link settleEpochReference} takes it. */
export type EpochNeuron = {
  /** `none` for a uid nobody holds. */
  kind: 'none' | 'miner' | 'validator';
  /** The hotkey holding the uid (any value for `none`). */
  hotkey: string;
  registrationBlock: number;
  /** The first epoch this uid is settled in (the next epoch when it registered). */
  registrationEpoch: number;
};

/** One validator's reveal for the epoch: what it committed and revealed, as `revealedWeights` returns it. */
export type EpochReveal = {
  uid: number;
  hotkey: string;
  /** Total stake snapshotted when it committed. */
  stake: bigint;
  /** Block of the registration that committed. */
  registrationBlock: number;
  commitBlock: number;
  revealBlock: number;
  /** Revealed raw u16 weights by uid, dense. */
  weights: readonly number[];
};

/** The bonds stored for a validator uid, and whose they are (as `bondsOf` returns them). */
export type EpochBonds = {
  uid: number;
  /** u16 bonds by uid. */
  bonds: readonly number[];
  /** 1 + the epoch whose settlement wrote them; 0 when never. */
  stamp: number;
  hotkey: string;
  registrationBlock: number;
};

/** Everything settlement reads, in plain values. */
export type EpochState = {
  epoch: number;
  params: Pick<
    SubnetParams,
    'kappaBps' | 'bondsAlphaBps' | 'validatorTakeBps' | 'maxValidatorPermits' | 'emissionPerEpoch'
  >;
  /** Every uid below uidCount, by uid, at the settling block. */
  neurons: readonly EpochNeuron[];
  /** Every reveal for the epoch. */
  reveals: readonly EpochReveal[];
  /** Stored bonds of validator uids; a uid left out has none. */
  bonds: readonly EpochBonds[];
};

/** One miner's result. */
export type MinerSettlement = {
  uid: number;
  consensus: bigint;
  incentive: bigint;
  rank: bigint;
  amount: bigint;
};

/** One active validator's result. */
export type ValidatorSettlement = {
  uid: number;
  hotkey: string;
  /** The stake snapshotted at its commit. */
  stake: bigint;
  revealBlock: number;
  /**
   * False when the registration that committed no longer holds the uid at settlement: the
   * whole amount then goes to its hotkey (`take` = `amount`, `stakersShare` 0, no bonds kept).
   */
  present: boolean;
  /** Share of the validators' pool, scaled by 1e9. */
  dividends: bigint;
  /** Its part of the validators' pool. */
  amount: bigint;
  /** What the validator keeps: amount × take / 10 000 (all of it when not present). */
  take: bigint;
  /** amount − take, shared by everyone staked on it pro rata. */
  stakersShare: bigint;
  /** The new u16 bonds by uid. */
  bonds: number[];
};

/** The outcome of one epoch, as settleEpoch credits it. */
export type EpochSettlement = {
  /** Validator uids that revealed for the epoch, ascending. */
  revealed: number[];
  /** Validator uids that took part (largest stake snapshots, non-empty masked weights), ascending. */
  active: number[];
  /** emissionPerEpoch when the total rank is positive, else 0. */
  minted: bigint;
  minerTotal: bigint;
  validatorTotal: bigint;
  /** minted − minerTotal − validatorTotal: 18 % plus every rounding remainder. */
  ownerTotal: bigint;
  activeStake: bigint;
  miners: MinerSettlement[];
  /** Ascending by uid. */
  validators: ValidatorSettlement[];
};

/**
 * Validator permits: among validators with at least `minValidatorStake`, the
 * `maxValidatorPermits` largest stakes, ties going to the lower uid.
 *
 * @returns The permitted uids, ascending.
 * @example
 * validatorPermits({ validators, minValidatorStake: 10n ** 21n, maxValidatorPermits: 16 });
 */
export function validatorPermits(parameters: {
  validators: readonly { uid: number; stake: bigint }[];
  minValidatorStake: bigint;
  maxValidatorPermits: number;
}): number[] {
  return parameters.validators
    .filter((v) => v.stake >= parameters.minValidatorStake)
    .sort((a, b) => (a.stake > b.stake ? -1 : a.stake < b.stake ? 1 : a.uid - b.uid))
    .slice(0, parameters.maxValidatorPermits)
    .map((v) => v.uid)
    .sort((a, b) => a - b);
}

/**
 * The whole settlement of one epoch from what was committed and revealed for it and the chain's
 * neurons: selection, masks, consensus, and the split of the emission (41 % miners by rank,
 * 41 % validators by dividends with the take, the remainder to the owner). Equal to what
 * settleEpoch credits, to the unit.
 *
 * @param state Neurons, the epoch's reveals, stored bonds, and parameters.
 * @returns Totals and per-uid results.
 * @example
 * const result = settleEpochReference(state);
 * result.minted === result.minerTotal + result.validatorTotal + result.ownerTotal; // always
 */
export function settleEpochReference(state: EpochState): EpochSettlement {
  const { params, neurons, epoch } = state;
  const n = neurons.length;
  const isMiner = neurons.map((nr) => nr.kind === 'miner');
  const freshColumn = neurons.map((nr) => nr.kind !== 'none' && nr.registrationEpoch >= epoch);
  const selected = validatorPermits({
    validators: state.reveals,
    minValidatorStake: 0n,
    maxValidatorPermits: params.maxValidatorPermits,
  });

  const active: { reveal: EpochReveal; weights: number[]; bonds: readonly number[]; present: boolean }[] = [];
  for (const reveal of [...state.reveals].sort((a, b) => a.uid - b.uid)) {
    if (!selected.includes(reveal.uid)) continue;
    const weights = neurons.map((nr, j) =>
      isMiner[j] && nr.registrationBlock < reveal.commitBlock ? (reveal.weights[j] ?? 0) : 0,
    );
    if (!weights.some((w) => w > 0)) continue;
    const stored = state.bonds.find((b) => b.uid === reveal.uid);
    const bondsValid =
      stored !== undefined &&
      stored.stamp === epoch &&
      sameAddress(stored.hotkey, reveal.hotkey) &&
      stored.registrationBlock === reveal.registrationBlock;
    const own = neurons[reveal.uid];
    const present =
      own !== undefined &&
      own.kind === 'validator' &&
      sameAddress(own.hotkey, reveal.hotkey) &&
      own.registrationBlock === reveal.registrationBlock;
    active.push({
      reveal,
      weights,
      bonds: bondsValid ? stored.bonds : new Array<number>(n).fill(0),
      present,
    });
  }

  const yuma = yumaConsensus({
    kappaBps: params.kappaBps,
    bondsAlphaBps: params.bondsAlphaBps,
    isMiner,
    freshColumn,
    validators: active.map((a) => ({ stake: a.reveal.stake, weights: a.weights, bonds: a.bonds })),
  });

  const minted = yuma.rankTotal === 0n ? 0n : params.emissionPerEpoch;
  const minerPool = (minted * MINER_SHARE_BPS) / BPS;
  const validatorPool = (minted * VALIDATOR_SHARE_BPS) / BPS;
  const miners: MinerSettlement[] = [];
  for (let j = 0; j < n; j++) {
    if (!isMiner[j]) continue;
    const rank = yuma.rank[j]!;
    miners.push({
      uid: j,
      consensus: yuma.consensus[j]!,
      rank,
      incentive: minted === 0n ? 0n : (rank * CONSENSUS_ONE) / yuma.rankTotal,
      amount: minted === 0n ? 0n : (minerPool * rank) / yuma.rankTotal,
    });
  }
  const validators: ValidatorSettlement[] = active.map((a, i) => {
    const paid = minted > 0n && yuma.dividendTotal > 0n;
    const amount = paid ? (validatorPool * yuma.dividend[i]!) / yuma.dividendTotal : 0n;
    const take = a.present ? (amount * BigInt(params.validatorTakeBps)) / BPS : amount;
    return {
      uid: a.reveal.uid,
      hotkey: a.reveal.hotkey,
      stake: a.reveal.stake,
      revealBlock: a.reveal.revealBlock,
      present: a.present,
      dividends: paid ? (yuma.dividend[i]! * CONSENSUS_ONE) / yuma.dividendTotal : 0n,
      amount,
      take,
      stakersShare: amount - take,
      bonds: yuma.bonds[i]!,
    };
  });
  const minerTotal = miners.reduce((a, m) => a + m.amount, 0n);
  const validatorTotal = validators.reduce((a, v) => a + v.amount, 0n);
  return {
    revealed: state.reveals.map((r) => r.uid).sort((a, b) => a - b),
    active: active.map((a) => a.reveal.uid),
    minted,
    minerTotal,
    validatorTotal,
    ownerTotal: minted - minerTotal - validatorTotal,
    activeStake: yuma.activeStake,
    miners,
    validators,
  };
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
