/** A 0x-prefixed 32-byte hex string (keccak256 digests, model hashes, block hashes). */
export type Hex32 = `0x${string}`;

/** A 0x-prefixed 20-byte account address, checksummed. */
export type Address = `0x${string}`;

/** One registered neuron as the chain sees it. */
export type Neuron = {
  uid: number;
  /** The hotkey: the account that signs the neuron's commitments and weights. */
  hotkey: Address;
  /** True for validators (neurons that staked), false for miners. */
  isValidator: boolean;
  /** Self stake plus delegated stake, in the stake token's smallest unit. */
  stake: bigint;
  /** Whether this neuron may set weights and publish aggregates. */
  validatorPermit: boolean;
  /** Incentive of the last settled epoch, normalized to [0, 1]. */
  incentive: number;
  /** Dividends of the last settled epoch, normalized to [0, 1]. */
  dividends: number;
  /** Block the neuron registered at. */
  registeredAt: number;
  /**
   * What the neuron earned in the last emission period, in the stake token's smallest unit:
   * subtensor's `Emission` of the last tempo (rao, or the subnet's alpha on dynamic TAO).
   * Absent where the backend does not keep it (EVM: read the epoch's payouts instead).
   */
  emission?: bigint | undefined;
};

/** The subnet's neurons at one block. */
export type Metagraph = {
  block: number;
  neurons: Neuron[];
};

/** A miner's commitment to its update for a window. */
export type Commitment = {
  uid: number;
  hotkey: Address;
  window: number;
  /** keccak256 of the update's wire bytes. */
  digest: Hex32;
  /** Where the bytes can be fetched. */
  uri: string;
  /** modelHash(θ_w) of the model the update was trained from. */
  modelHash: Hex32;
  /** Block that included the commitment. */
  block: number;
};

/** The aggregation set a validator published for a window. */
export type Aggregate = {
  window: number;
  /** Uids whose updates were averaged, ascending. */
  uids: number[];
  /** modelHash(θ_{w+1}) after applying the aggregate. */
  modelHash: Hex32;
  /**
   * The L2 norm every member update was clipped to before averaging: a positive, finite
   * float32 value (`Math.fround(normBound) === normBound`).
   */
  normBound: number;
  /** Where the aggregated update (or its parts) can be fetched, if published. */
  uri: string;
  /** The validator that published it. */
  validator: Address;
  block: number;
};

/** A full-model checkpoint a validator published. */
export type Checkpoint = {
  /** The checkpoint holds θ_window (the model at the start of `window`). */
  window: number;
  modelHash: Hex32;
  uri: string;
  validator: Address;
  block: number;
};

/** Timing constants of the subnet, fixed at its creation. */
export type SubnetTiming = {
  startBlock: number;
  blocksPerWindow: number;
  windowsPerEpoch: number;
  deadlineGraceBlocks: number;
};

/** Rewards of one account. */
export type Rewards = {
  /** Credited and not yet claimed. */
  claimable: bigint;
  /** Claimed so far. */
  claimed: bigint;
};

/** What the signing account holds, in each coin's smallest unit. */
export type AccountBalance = {
  /** The subnet's token: TSR in wei on EVM, free TAO in rao on subtensor. */
  token: bigint;
  /** The coin transaction fees are paid in: ether in wei on EVM, the same free TAO on subtensor. */
  fees: bigint;
};

/**
 * A write that moves funds or pays a fee, described so a backend can price it before anything
 * is signed (see {@link SubnetChain.estimateWrite}). Amounts in the token's smallest unit.
 * `publish-run-config` is subtensor's only (the owner hotkey's `run-config` commitment); EVM
 * records the hash at deployment and refuses it.
 */
export type PlannedWrite =
  | { kind: 'register-miner' }
  | { kind: 'register-validator'; stake: bigint }
  | { kind: 'delegate'; validatorUid: number; amount: bigint }
  /** Stake on `validatorUid`, or on this account's own uid (EVM) / hotkey (subtensor) when omitted. */
  | { kind: 'stake'; amount: bigint; validatorUid?: number | undefined }
  | { kind: 'unstake'; amount: bigint; validatorUid?: number | undefined }
  | { kind: 'claim' }
  /** Record `hash`, the run config's `hashRunConfig`, as the subnet's (subtensor). */
  | { kind: 'publish-run-config'; hash: Hex32 };

/** One transaction of a planned write and its fee, in the fee coin's smallest unit. */
export type TxEstimate = {
  /** What it does, as the chain names it: `approve`, `registerMiner`, `burned_register`, `add_stake`. */
  action: string;
  /**
   * The fee: EVM gas × fee per gas, subtensor `paymentInfo`'s partial fee. Undefined when it
   * cannot be estimated before an earlier transaction of the write lands (an EVM stake waiting
   * for its approval), with `note` saying so.
   */
  fee: bigint | undefined;
  /** EVM: the node's gas estimate. */
  gas?: bigint | undefined;
  /** EVM: the current gas price the fee was computed with, in wei. */
  feePerGas?: bigint | undefined;
  note?: string | undefined;
};

/** What a {@link PlannedWrite} will cost its payer, read from the chain before signing. */
export type WriteEstimate = {
  /** The account that signs and pays: the key's address on EVM, the coldkey's SS58 address on subtensor. */
  payer: string;
  /** What the write acts on: the validator's uid and hotkey it stakes on, or the hotkey it registers. */
  target?: { uid?: number | undefined; hotkey: string } | undefined;
  /** The registration burn (EVM: native currency, sent with the call; subtensor: TAO); 0 otherwise. */
  burn: bigint;
  /**
   * How the payer's balances change besides fees, signed: the burn and stake out (negative), an
   * unstake or claim in. `token` and `fees` as in {@link AccountBalance}.
   */
  change: AccountBalance;
  /** The transactions the write sends, in order. */
  transactions: TxEstimate[];
  /** The payer's balances now; absent where the backend cannot read them. */
  balance?: AccountBalance | undefined;
  /**
   * True where the token and the fee coin are one coin (subtensor's free TAO): `change.token`
   * and `change.fees` are then the same change, and `balance.token` the same balance.
   */
  sameCoin: boolean;
};

/** The weights one validator revealed for an epoch. */
export type RevealedWeights = {
  validatorUid: number;
  /** The validator's hotkey. */
  validator: Address;
  /** Ascending, distinct; only uids with a positive weight. */
  uids: number[];
  /** Normalized to sum 1 (empty when nothing positive was revealed). */
  weights: number[];
};

/** A transaction the chain accepted. */
export type TxReceipt = { hash: Hex32; block: number; gasUsed: bigint };

/** What `registerMiner` and `registerValidator` did. */
export type RegisterOutcome =
  | { status: 'registered'; uid: number; receipt: TxReceipt }
  /** The account already held `uid`; nothing was sent (no burn paid, no stake moved). */
  | { status: 'already-registered'; uid: number };

/** What `commit` did. */
export type CommitOutcome =
  | { status: 'committed'; receipt: TxReceipt }
  /** This uid already holds a commitment for the window; the first one stands. */
  | { status: 'already-committed' };

/** What `publishAggregate` did. */
export type PublishAggregateOutcome =
  | { status: 'published'; receipt: TxReceipt }
  /** This validator already published an aggregate for the window; the first one stands. */
  | { status: 'already-published' };

/**
 * What `publishCheckpoint` did. Checkpoints may be published again (the latest of the highest
 * window wins), so there is no "already" outcome.
 */
export type PublishCheckpointOutcome = { status: 'published'; receipt: TxReceipt };

/** What `settleEpoch` did. */
export type SettleOutcome =
  | { status: 'settled'; receipt: TxReceipt }
  /** Someone (this account included) settled the epoch before. */
  | { status: 'already-settled' }
  /** Its settlement opens at block `opensAt` (the first block of epoch + 2 on EVM). */
  | { status: 'not-open'; opensAt: number }
  /** The chain settles every epoch itself (Bittensor's Yuma consensus each tempo); nothing to send. */
  | { status: 'settled-by-chain' };

/**
 * The one interface miners, validators and the API use to talk to a chain.
 *
 * Implementations: `createEvmChain` (ethers v6 on Tessera's contracts, any EVM chain),
 * `createSubtensorChain` (@polkadot/api on a Bittensor subnet), and the in-memory chain of
 * `@tessera/core/testing` for tests. Every reply is validated before it is returned; transient
 * RPC faults are retried with backoff inside the implementation and surface as `ChainError` with
 * `retryable` set when they persist.
 *
 * Writes return a typed outcome: what the chain did, or the benign "it was done before"
 * (`already-registered`, `already-committed`, `already-published`, `already-settled`, `not-open`).
 * Each backend maps its own chain's codes to these outcomes; callers never look at chain codes.
 * Real failures (bad input, a late commit, no permit, a dropped connection) throw a `ChainError`.
 * One conformance suite (`describeSubnetChain` in core's `_test`) holds every implementation to
 * the same rules.
 */
export type SubnetChain = {
  /** Which backend this is, for logs. */
  readonly kind: 'evm' | 'subtensor' | 'memory';
  /**
   * A stable string naming the subnet, the same for every participant and across restarts (it
   * names the subnet in Redis keys):
   * - EVM: `evm:<chainId>:<Subnet contract address, checksummed>`, e.g. `evm:31337:0x5FbDB2315678afecb367f032d93F642f64180aa3`;
   * - subtensor: `subtensor:<genesis hash, 0x-hex>:<netuid>`;
   * - in memory: `memory:<name>`.
   */
  readonly subnetId: string;
  /** The signing account's address (hotkey). */
  readonly address: Address;

  timing(): Promise<SubnetTiming>;
  /**
   * keccak256 of the canonical JSON of the run config the subnet records (protocol's
   * `hashRunConfig`), or undefined when it records none. Roles refuse to start when theirs
   * differs. EVM: the Subnet's `runConfigHash`, set at deployment (zero reads as none).
   * Subtensor: the `run-config` record in the commitment of the subnet owner's hotkey
   * (`SubtensorModule.SubnetOwnerHotkey`), published with `publishRunConfigHash`; any other
   * hotkey's is ignored. Undefined where the runtime has no owner hotkey, the owner has no
   * commitment or it holds no such record; an owner commitment that does not decode is logged
   * and reads as none. A failed read throws ChainError.
   */
  runConfigHash(): Promise<Hex32 | undefined>;
  blockNumber(): Promise<number>;
  blockHash(block: number): Promise<Hex32>;
  /** Resolves once the chain has reached `block`; rejects when `signal` aborts. */
  waitForBlock(parameters: {
    block: number;
    signal?: AbortSignal | undefined;
    pollMs?: number | undefined;
  }): Promise<number>;

  metagraph(): Promise<Metagraph>;
  /** The uid of this account, or undefined when not registered. */
  uidOf(address?: Address): Promise<number | undefined>;

  registerMiner(): Promise<RegisterOutcome>;
  registerValidator(parameters: { stake: bigint }): Promise<RegisterOutcome>;
  delegate(parameters: { validatorUid: number; amount: bigint }): Promise<TxReceipt>;

  /**
   * Commits this miner's update for `window`. Counts only when included before
   * `deadline(window)`; a commit after it throws `rejected`.
   */
  commit(parameters: {
    window: number;
    digest: Hex32;
    uri: string;
    modelHash: Hex32;
  }): Promise<CommitOutcome>;
  /** The commitments for `window` included before its deadline, by uid ascending. */
  commitments(parameters: { window: number }): Promise<Commitment[]>;

  /**
   * Publishes this validator's aggregation set for `window`, from `deadline(window)` on.
   * `normBound` must be a positive finite float32 (see {@link Aggregate.normBound}); checked
   * before sending.
   */
  publishAggregate(parameters: {
    window: number;
    uids: number[];
    modelHash: Hex32;
    normBound: number;
    uri: string;
  }): Promise<PublishAggregateOutcome>;
  /**
   * The aggregate every participant follows for `window`: the lead aggregate by
   * `selectLeadAggregate` (core/protocol) among those included before window + 2 started.
   */
  aggregate(parameters: { window: number }): Promise<Aggregate | undefined>;
  publishCheckpoint(parameters: {
    window: number;
    modelHash: Hex32;
    uri: string;
  }): Promise<PublishCheckpointOutcome>;
  latestCheckpoint(): Promise<Checkpoint | undefined>;

  /**
   * Commits these weights for the current epoch (the epoch of the block the commit lands in) and
   * reveals them when due, in the next epoch: nobody sees them before the epoch is over. Reveals
   * what earlier calls committed first. The salt waits in a reveal store until the reveal (a
   * file when the backend is given `revealStatePath`). The receipt is the commit's.
   */
  setWeights(parameters: { uids: number[]; weights: number[] }): Promise<TxReceipt>;
  /**
   * Reveals every weight commit whose reveal period is open now (a commit of epoch e in epoch
   * e + 1), and forgets those that can no longer be revealed. Call it every window so reveals land
   * early in their epoch.
   */
  revealPendingWeights(): Promise<void>;
  /**
   * The weights validators revealed for `epoch`, by validator uid ascending. EVM: what settlement
   * of that epoch reads. Subtensor: the weights the chain holds now (see the backend).
   */
  revealedWeights(parameters: { epoch: number }): Promise<RevealedWeights[]>;
  /**
   * Settles `epoch` when its settlement is open (EVM: from the first block of epoch + 2),
   * settling earlier unsettled epochs first; see {@link SettleOutcome}.
   */
  settleEpoch(parameters: { epoch: number }): Promise<SettleOutcome>;
  rewards(parameters?: { address?: Address | undefined }): Promise<Rewards>;
  claim(): Promise<TxReceipt>;
  /** What the signing account holds (for the roles' balance metrics); absent where a backend cannot read it. */
  balance?(): Promise<AccountBalance>;
  /**
   * Prices `write` without sending anything: the burn, the amounts moved, each transaction's fee
   * and the payer's balances, every reply checked. Throws what the write itself would where the
   * chain already says no (a revert found by the gas estimate, an unknown validator uid).
   * Absent where a backend cannot estimate.
   */
  estimateWrite?(write: PlannedWrite): Promise<WriteEstimate>;
};

/** Retry policy for reads and for transactions the pool turned away. */
export type RetryOptions = {
  /** Attempts in all, the first included. @default 4 */
  attempts?: number | undefined;
  /** Delay before the second attempt; doubles each time, with jitter. @default 500 */
  baseDelayMs?: number | undefined;
  /** Longest delay between attempts. @default 8000 */
  maxDelayMs?: number | undefined;
};
