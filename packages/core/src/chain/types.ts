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

/**
 * The one interface miners, validators and the API use to talk to a chain.
 *
 * Implementations: `createEvmChain` (ethers v6 on Tessera's contracts, any EVM chain)
 * and `createSubtensorChain` (@polkadot/api on a Bittensor subnet). Every reply is
 * validated before it is returned; transient RPC faults are retried with backoff inside
 * the implementation and surface as `ChainError` with `retryable` set when they persist.
 */
export type SubnetChain = {
  /** Which backend this is, for logs. */
  readonly kind: 'evm' | 'subtensor';
  /** The signing account's address (hotkey). */
  readonly address: Address;

  timing(): Promise<SubnetTiming>;
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

  registerMiner(): Promise<{ uid: number; receipt: TxReceipt }>;
  registerValidator(parameters: { stake: bigint }): Promise<{ uid: number; receipt: TxReceipt }>;
  delegate(parameters: { validatorUid: number; amount: bigint }): Promise<TxReceipt>;

  commit(parameters: { window: number; digest: Hex32; uri: string; modelHash: Hex32 }): Promise<TxReceipt>;
  commitments(parameters: { window: number }): Promise<Commitment[]>;

  /** `normBound` must be a positive finite float32 (see {@link Aggregate.normBound}); checked before sending. */
  publishAggregate(parameters: {
    window: number;
    uids: number[];
    modelHash: Hex32;
    normBound: number;
    uri: string;
  }): Promise<TxReceipt>;
  aggregate(parameters: { window: number }): Promise<Aggregate | undefined>;
  publishCheckpoint(parameters: { window: number; modelHash: Hex32; uri: string }): Promise<TxReceipt>;
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
   * Settles `epoch` if its settlement is open (EVM: from the first block of epoch + 2) and it is
   * not settled yet; returns undefined when there was nothing to do.
   */
  settleEpoch(parameters: { epoch: number }): Promise<TxReceipt | undefined>;
  rewards(parameters?: { address?: Address | undefined }): Promise<Rewards>;
  claim(): Promise<TxReceipt>;
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
