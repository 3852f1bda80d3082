// The JSON records the indexer writes into Redis and the API reads back. Token amounts and
// other uint256 values are decimal strings; u32 fixed-point values (scale 1e9) are numbers.

/** A neuron as the index holds it: the public view plus what settlement needs to be replayed. */
export type NeuronRecord = {
  uid: number;
  /** Checksummed hotkey address. */
  hotkey: string;
  role: 'miner' | 'validator';
  registrationBlock: number;
  /** The first epoch this uid is settled in. */
  registrationEpoch: number;
  registrationTx: string;
  /** Total stake on a validator (self plus delegated); "0" for miners. */
  stake: string;
  /** Last settled epoch's consensus, incentive and dividends, scaled by 1e9. */
  consensus: number;
  incentive: number;
  dividends: number;
  /** Rewards credited to this uid since it was registered (mining amounts, validator takes). */
  earned: string;
  /** Block and transaction of the validator's last revealWeights, and those weights; 0 and null when never. */
  weightsBlock: number;
  weightsTx: string | null;
  weights: { uids: number[]; weights: number[] } | null;
  lastCommitment: CommitmentRecord | null;
};

/** A validator uid's weight commit for one epoch (the latest: a later commit replaces), and its reveal. */
export type WeightsRecord = {
  epoch: number;
  uid: number;
  hotkey: string;
  /** Total stake snapshotted at the commit (decimal string): what settlement weighs it by. */
  stake: string;
  /** Block of the committing registration. */
  registrationBlock: number;
  commitBlock: number;
  commitTx: string;
  hash: string;
  /** 0 and null until revealed. */
  revealBlock: number;
  revealTx: string | null;
  /** Raw u16 weights as revealed; empty until revealed. */
  uids: number[];
  weights: number[];
};

/** The bonds the last settlement wrote for a validator uid, and whose they are. */
export type BondsRecord = {
  /** u16 bonds by uid. */
  bonds: number[];
  /** 1 + the epoch whose settlement wrote them. */
  stamp: number;
  hotkey: string;
  registrationBlock: number;
};

/** A validator's staking pool. */
export type PoolRecord = {
  /** Scale 1e27, as the contract keeps it. */
  rewardPerStake: string;
  /** Stakers' rewards credited to the pool and not yet harvested. */
  outstanding: string;
};

/** One account's stake on one validator. */
export type PositionRecord = {
  stake: string;
  /** ceil(stake × rewardPerStake / 1e27) at the last change, as the contract keeps it. */
  rewardDebt: string;
};

export type CommitmentRecord = {
  window: number;
  uid: number;
  hotkey: string;
  digest: string;
  modelHash: string;
  uri: string;
  block: number;
  tx: string;
};

export type AggregateRecord = {
  window: number;
  validatorUid: number;
  validator: string;
  aggregateHash: string;
  /** The L2 norm the members were clipped to (a float32 value). */
  normBound: number;
  uids: number[];
  uri: string;
  block: number;
  tx: string;
};

export type CheckpointRecord = {
  window: number;
  validatorUid: number;
  validator: string;
  modelHash: string;
  uri: string;
  block: number;
  tx: string;
};

/** Counts per window, for listing windows without reading each one. */
export type WindowSummary = { commitments: number; aggregates: number; checkpoints: number };

/** One reward credited to an account in an epoch. */
export type PayoutRecord =
  | {
      kind: 'mining';
      uid: number;
      amount: string;
      consensus: number;
      incentive: number;
      rank: string;
    }
  | {
      kind: 'validating';
      uid: number;
      /** The validator's take, credited to its hotkey. */
      amount: string;
      /** The validator's whole part of the validators' pool (take plus stakers' share). */
      poolAmount: string;
      stakersShare: string;
      dividends: number;
    }
  | {
      kind: 'staking';
      validatorUid: number;
      /** floor(stake × after / 1e27) − floor(stake × before / 1e27). */
      amount: string;
      positionStake: string;
      validatorStake: string;
      stakersShare: string;
      rewardPerStakeBefore: string;
      rewardPerStakeAfter: string;
    }
  | { kind: 'owner'; amount: string };

/** What one account was paid in one epoch. */
export type AccountEpochRecord = {
  epoch: number;
  block: number;
  tx: string;
  /** Sum of the payouts' amounts. */
  total: string;
  payouts: PayoutRecord[];
};

export type ClaimRecord = { block: number; tx: string; logIndex: number; amount: string };

/** One miner's result in a settled epoch (the MinerReward event). */
export type MinerPayoutRecord = {
  uid: number;
  hotkey: string;
  consensus: number;
  incentive: number;
  rank: string;
  amount: string;
};

/** One active validator's result in a settled epoch, with the weights settlement used. */
export type ValidatorPayoutRecord = {
  uid: number;
  hotkey: string;
  /** The stake snapshotted at its commit. */
  stake: string;
  /** Block and transaction of the reveal whose weights were used. */
  weightsBlock: number;
  weightsTx: string | null;
  /** Revealed weights on miners registered before the commit (what consensus used). */
  weights: { uids: number[]; weights: number[] };
  /**
   * False when the registration that committed had ended by the settlement: its whole part then
   * went to its hotkey (`take` = `amount`).
   */
  present: boolean;
  dividends: number;
  amount: string;
  take: string;
  stakersShare: string;
  rewardPerStake: string;
};

/** How the epoch's events compare with the TypeScript settlement reference run on the indexed state. */
export type ReferenceCheck = {
  /** False when the reference could not run (the message says why). */
  checked: boolean;
  matches: boolean;
  mismatches: string[];
};

export type EpochSummaryRecord = {
  epoch: number;
  block: number;
  tx: string;
  minted: string;
  minerTotal: string;
  validatorTotal: string;
  ownerTotal: string;
  activeStake: string;
  activeValidators: number;
  referenceMatches: boolean;
};

export type EpochRecord = EpochSummaryRecord & {
  miners: MinerPayoutRecord[];
  validators: ValidatorPayoutRecord[];
  reference: ReferenceCheck;
};

/** The `totals` hash, parsed. */
export type Totals = {
  minted: bigint;
  minerTotal: bigint;
  validatorTotal: bigint;
  ownerTotal: bigint;
  claimed: bigint;
  staked: bigint;
  burned: bigint;
  /** The epoch settleEpoch accepts next. */
  nextEpoch: number;
  /** uids ever allocated. */
  uidCount: number;
  /** Registered miners and validators now. */
  miners: number;
  validators: number;
  /** Subnet events indexed. */
  events: number;
};

/** The `cursor` hash: the last block whose events are all in the index. */
export type IndexCursor = { block: number; hash: string; updatedAt: number };
