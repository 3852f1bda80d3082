import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import {
  Address,
  Amount,
  BlockNumber,
  Fraction,
  Hash,
  Nullable,
  address,
  amount,
  blockNumber,
  fraction,
  hash,
} from './common.js';

// ---------------------------------------------------------------- errors

export const ErrorBody = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable error code; see docs/api.md "Errors".' }),
    error: Type.String({ description: 'HTTP reason phrase.' }),
    message: Type.String({ description: 'What went wrong in this request.' }),
    howToSolve: Type.String(),
  },
  { $id: 'ErrorBody', description: 'Every error answer.' },
);
export type ErrorBody = Static<typeof ErrorBody>;

// ---------------------------------------------------------------- health

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')], {
    description:
      '`degraded` when the indexer failed or lags more than 100 blocks, or the chain cannot be read.',
  }),
  indexedBlock: Nullable(BlockNumber),
  headBlock: Nullable(BlockNumber),
  lagBlocks: Nullable(Type.Integer()),
  indexer: Nullable(
    Type.Object({
      state: Type.String({ description: 'idle, running, stopped or failed.' }),
      lastError: Nullable(Type.String()),
    }),
  ),
  chain: Type.Union([Type.Literal('ok'), Type.Literal('unreachable'), Type.Literal('not configured')]),
});
export type Health = Static<typeof Health>;

// ---------------------------------------------------------------- subnet

export const Hyperparameters = Type.Object({
  owner: Address,
  startBlock: Type.Integer(),
  blocksPerWindow: Type.Integer(),
  windowsPerEpoch: Type.Integer(),
  deadlineGraceBlocks: Type.Integer(),
  maxUids: Type.Integer(),
  maxValidators: Type.Integer(),
  maxValidatorPermits: Type.Integer(),
  immunityPeriod: Type.Integer(),
  weightsRateLimit: Type.Integer(),
  stakeLockBlocks: Type.Integer(),
  kappaBps: Type.Integer(),
  bondsAlphaBps: Type.Integer(),
  validatorTakeBps: Type.Integer(),
  maxUriLength: Type.Integer(),
  registrationBurn: Amount,
  minValidatorStake: Amount,
  emissionPerEpoch: Amount,
});

export const Subnet = Type.Object({
  subnet: Address,
  chainId: Type.Integer(),
  deployBlock: BlockNumber,
  token: Type.Object({
    address: Address,
    name: Type.String(),
    symbol: Type.String(),
    decimals: Type.Integer(),
  }),
  hyperparameters: Hyperparameters,
  clock: Type.Object({
    headBlock: BlockNumber,
    indexedBlock: Nullable(BlockNumber),
    currentWindow: Type.Integer({ description: 'Window of the head block; -1 before the start block.' }),
    currentEpoch: Type.Integer({ description: 'Epoch of the head block; -1 before the start block.' }),
    nextEpochToSettle: Type.Integer({ description: 'The epoch settleEpoch accepts next (as indexed).' }),
  }),
  totals: Type.Object({
    emitted: amount('Tokens minted by every settled epoch.'),
    minerTotal: Amount,
    validatorTotal: Amount,
    ownerTotal: Amount,
    claimed: Amount,
    staked: Amount,
    burned: amount('Native wei burned by miner registrations.'),
    epochsSettled: Type.Integer(),
    miners: Type.Integer(),
    validators: Type.Integer(),
    events: Type.Integer({ description: 'Subnet events indexed.' }),
  }),
});
export type Subnet = Static<typeof Subnet>;

// ---------------------------------------------------------------- neurons

export const Commitment = Type.Object({
  window: Type.Integer(),
  uid: Type.Integer(),
  address: Address,
  digest: Hash,
  modelHash: Hash,
  uri: Type.String(),
  block: BlockNumber,
  tx: Hash,
});
export type Commitment = Static<typeof Commitment>;

export const Weights = Type.Object(
  {
    uids: Type.Array(Type.Integer()),
    weights: Type.Array(Type.Integer({ description: 'Raw u16 weight.' })),
  },
  { description: 'Raw u16 weights by miner uid, as set on chain.' },
);

export const Neuron = Type.Object({
  uid: Type.Integer(),
  address: address('The hotkey.'),
  role: Type.Union([Type.Literal('miner'), Type.Literal('validator')]),
  stake: amount('Self plus delegated stake (validators); 0 for miners.'),
  validatorPermit: Type.Boolean({ description: 'Among the validators that may set weights now.' }),
  consensus: fraction('Consensus weight in the last settled epoch (miners).'),
  incentive: fraction("Share of the miners' emission in the last settled epoch."),
  dividends: fraction("Share of the validators' emission in the last settled epoch."),
  earned: amount('Rewards credited to this uid since it registered.'),
  registrationBlock: BlockNumber,
  registrationEpoch: Type.Integer(),
  weightsBlock: Nullable(BlockNumber),
  lastCommitment: Nullable(Commitment),
});
export type Neuron = Static<typeof Neuron>;

export const NeuronList = Type.Object({ count: Type.Integer(), neurons: Type.Array(Neuron) });
export type NeuronList = Static<typeof NeuronList>;

export const NeuronDetail = Type.Composite([Neuron, Type.Object({ weights: Nullable(Weights) })]);
export type NeuronDetail = Static<typeof NeuronDetail>;

// ---------------------------------------------------------------- rewards

export const PayoutKind = Type.Union(
  [Type.Literal('mining'), Type.Literal('validating'), Type.Literal('staking'), Type.Literal('owner')],
  {
    description:
      "mining: a miner's incentive; validating: a validator's take; staking: a share of a validator's stakers' reward; owner: the subnet owner's share.",
  },
);

export const Payout = Type.Object({
  kind: PayoutKind,
  amount: Amount,
  uid: Type.Optional(Type.Integer({ description: 'The miner or validator uid paid (mining, validating).' })),
  validatorUid: Type.Optional(Type.Integer({ description: 'The validator staked on (staking).' })),
  consensus: Type.Optional(Fraction),
  incentive: Type.Optional(Fraction),
  rank: Type.Optional(Type.String({ description: 'Stake-weighted sum of clipped weights, scale 1e18.' })),
  dividends: Type.Optional(Fraction),
  poolAmount: Type.Optional(amount("The validator's part of the validators' pool.")),
  stakersShare: Type.Optional(Amount),
  positionStake: Type.Optional(Amount),
  validatorStake: Type.Optional(Amount),
  rewardPerStakeBefore: Type.Optional(Type.String({ description: 'Scale 1e27.' })),
  rewardPerStakeAfter: Type.Optional(Type.String({ description: 'Scale 1e27.' })),
});
export type Payout = Static<typeof Payout>;

export const EpochPayouts = Type.Object({
  epoch: Type.Integer(),
  block: blockNumber('Block of the settlement.'),
  tx: hash('The settleEpoch transaction.'),
  total: Amount,
  payouts: Type.Array(Payout),
});
export type EpochPayouts = Static<typeof EpochPayouts>;

export const AccountRewards = Type.Object({
  address: Address,
  asOfBlock: Nullable(BlockNumber),
  claimable: amount('What claim() would pay now (as of asOfBlock).'),
  earned: amount('Every reward credited so far: claimed plus claimable.'),
  claimed: Amount,
  breakdown: Type.Object(
    { mining: Amount, validating: Amount, staking: Amount, owner: Amount },
    {
      description:
        "Earned by kind, summed over the per-epoch history. Staking shares are floor(stake × Δ rewardPerStake / 1e27) per epoch; the contract rounds a position's debt up at each stake change, so `earned` may be a few wei lower.",
    },
  ),
  neuron: Nullable(Type.Object({ uid: Type.Integer(), role: Type.String() })),
  positions: Type.Array(
    Type.Object({
      validatorUid: Type.Integer(),
      stake: Amount,
      pending: amount('Staking rewards accrued and not yet harvested.'),
    }),
  ),
  history: Type.Array(EpochPayouts, { description: 'Per-epoch payouts, newest first.' }),
  nextBefore: Nullable(
    Type.Integer({ description: 'Pass as `before` for the next page; null on the last.' }),
  ),
  claims: Type.Array(Type.Object({ block: BlockNumber, tx: Hash, amount: Amount }), {
    description: 'The latest claims, newest first (at most 10).',
  }),
});
export type AccountRewards = Static<typeof AccountRewards>;

// ---------------------------------------------------------------- receipts

export const ReceiptWeight = Type.Object({
  validatorUid: Type.Integer(),
  validator: Address,
  stake: amount("The validator's stake at settlement."),
  weightsBlock: BlockNumber,
  weightsTx: Nullable(Hash),
  minerUid: Type.Integer(),
  weight: Type.Integer({ description: 'Raw u16 weight the validator set on the miner.' }),
  normalizedWeight: Type.String({ description: 'weight × 1e9 / the row sum over eligible miners.' }),
});

export const ReceiptCheck = Type.Object({
  name: Type.String(),
  rule: Type.String({ description: 'How the expected value is computed.' }),
  expected: Type.String(),
  actual: Type.String(),
  matches: Type.Boolean(),
});

export const ReceiptItem = Type.Object({
  payout: Payout,
  weights: Type.Array(ReceiptWeight, {
    description:
      "mining: every active validator's weight on the miner; validating and staking: the validator's own weights.",
  }),
  checks: Type.Array(ReceiptCheck),
});

/** What a settlement moved, in an epoch's summary and in a receipt: its transaction, the tokens minted and their split. */
const settlementFields = {
  block: BlockNumber,
  tx: Hash,
  minted: Amount,
  minerTotal: Amount,
  validatorTotal: Amount,
  ownerTotal: Amount,
  activeStake: Amount,
  activeValidators: Type.Integer(),
};

export const Receipt = Type.Object({
  address: Address,
  epoch: Type.Integer(),
  settlement: Type.Object({
    ...settlementFields,
    kappaBps: Type.Integer(),
    validatorTakeBps: Type.Integer(),
    referenceMatches: Type.Boolean({
      description: 'The whole epoch matches the settlement reference replayed on the indexed state.',
    }),
    referenceMismatches: Type.Array(Type.String()),
  }),
  total: Amount,
  verified: Type.Boolean({ description: 'Every check of every item matches.' }),
  items: Type.Array(ReceiptItem),
});
export type Receipt = Static<typeof Receipt>;

// ---------------------------------------------------------------- epochs

export const EpochSummary = Type.Object({
  epoch: Type.Integer(),
  ...settlementFields,
  referenceMatches: Type.Boolean(),
});
export type EpochSummary = Static<typeof EpochSummary>;

export const EpochList = Type.Object({
  epochs: Type.Array(EpochSummary),
  nextBefore: Nullable(Type.Integer()),
});
export type EpochList = Static<typeof EpochList>;

export const EpochDetail = Type.Composite([
  EpochSummary,
  Type.Object({
    split: Type.Object(
      { miners: Fraction, validators: Fraction, owner: Fraction },
      { description: 'Shares of the minted amount (0 when nothing was minted).' },
    ),
    miners: Type.Array(
      Type.Object({
        uid: Type.Integer(),
        address: Address,
        consensus: Fraction,
        incentive: Fraction,
        rank: Type.String(),
        amount: Amount,
      }),
    ),
    validators: Type.Array(
      Type.Object({
        uid: Type.Integer(),
        address: Address,
        stake: Amount,
        weightsBlock: BlockNumber,
        weightsTx: Nullable(Hash),
        weights: Weights,
        dividends: Fraction,
        amount: Amount,
        take: Amount,
        stakersShare: Amount,
        rewardPerStake: Type.String({ description: 'Scale 1e27, after this epoch.' }),
      }),
    ),
    referenceMismatches: Type.Array(Type.String()),
  }),
]);
export type EpochDetail = Static<typeof EpochDetail>;

// ---------------------------------------------------------------- windows

export const Aggregate = Type.Object({
  validatorUid: Type.Integer(),
  validator: Address,
  aggregateHash: Hash,
  uids: Type.Array(Type.Integer()),
  uri: Type.String(),
  block: BlockNumber,
  tx: Hash,
  selected: Type.Boolean({
    description: 'The aggregate to follow: its publisher has the most stake now (ties: the earliest).',
  }),
});

export const Checkpoint = Type.Object({
  validatorUid: Type.Integer(),
  validator: Address,
  modelHash: Hash,
  uri: Type.String(),
  block: BlockNumber,
  tx: Hash,
});

/** The validator's short greedy sample of the model after a window's aggregate. */
export const WindowSample = Type.Object(
  {
    prompt: Type.String({ description: 'The prompt the validator gave the model.' }),
    text: Type.String({ description: 'The continuation, at temperature 0.' }),
  },
  { description: "A short greedy sample of the model after this window's aggregate, from the validator." },
);

export const Window = Type.Object({
  window: Type.Integer(),
  epoch: Type.Integer(),
  startBlock: BlockNumber,
  deadlineBlock: blockNumber('First block refusing commitments.'),
  complete: Type.Boolean({
    description: 'The index has passed the deadline, so no commitment can be added.',
  }),
  commitments: Type.Array(Commitment),
  aggregates: Type.Array(Aggregate),
  aggregationSet: Nullable(
    Type.Object({
      validatorUid: Type.Integer(),
      uids: Type.Array(Type.Integer()),
      aggregateHash: Hash,
      uri: Type.String(),
    }),
  ),
  checkpoints: Type.Array(Checkpoint),
  heldOutLoss: Nullable(
    Type.Number({ description: "The validator's held-out loss after this window's aggregate." }),
  ),
  metrics: Type.Record(Type.String(), Type.Number(), {
    description: 'Every numeric field the validator reported for the window.',
  }),
  sample: Nullable(WindowSample),
});
export type Window = Static<typeof Window>;

export const WindowList = Type.Object({
  windows: Type.Array(
    Type.Object({
      window: Type.Integer(),
      commitments: Type.Integer(),
      aggregates: Type.Integer(),
      heldOutLoss: Nullable(Type.Number()),
      sample: Nullable(WindowSample),
    }),
  ),
  nextBefore: Nullable(Type.Integer()),
});
export type WindowList = Static<typeof WindowList>;
