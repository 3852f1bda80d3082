import type { Logger } from '../../common/logger.js';
import type {
  Hex32,
  PlannedWrite,
  RetryOptions,
  SubnetChain,
  SubnetTiming,
  TxReceipt,
  WriteEstimate,
} from '../types.js';

/** A miner's update commitment as stored in its hotkey's commitment on Bittensor. */
export type UpdateRecord = {
  kind: 'update';
  window: number;
  digest: Hex32;
  modelHash: Hex32;
  uri: string;
};

/** A validator's aggregation set for a window. */
export type AggregateRecord = {
  kind: 'aggregate';
  window: number;
  /** modelHash(θ_{w+1}). */
  modelHash: Hex32;
  /** The L2 norm the members were clipped to: a positive finite float32. */
  normBound: number;
  /** Ascending, distinct. */
  uids: number[];
  uri: string;
};

/** A validator's checkpoint of θ_window. */
export type CheckpointRecord = {
  kind: 'checkpoint';
  window: number;
  modelHash: Hex32;
  uri: string;
};

/**
 * The hash of the run config the subnet trains with (`hashRunConfig`), published by the subnet
 * owner's hotkey. Readers take it from the owner's commitment only; anyone else's is ignored.
 */
export type RunConfigRecord = {
  kind: 'run-config';
  /** keccak256 of the run config's canonical JSON. */
  hash: Hex32;
};

/** One Tessera record inside a commitment. */
export type TesseraRecord = UpdateRecord | AggregateRecord | CheckpointRecord | RunConfigRecord;

/** Parameters of `createSubtensorChain`. */
export type CreateSubtensorChainParameters = {
  /** The node's WebSocket endpoint, e.g. `ws://127.0.0.1:9944` or `wss://entrypoint-finney.opentensor.ai:443`. */
  wsUrl: string;
  /** The subnet. */
  netuid: number;
  /**
   * The hotkey: a BIP-39 mnemonic, a 0x-hex 32-byte seed, or a Substrate secret URI (`//Alice`,
   * `<mnemonic>//hot/0`). It signs commitments, weight commits and reveals. sr25519.
   * @default none: give `hotkeyAddress` instead where only the coldkey signs (registration, stake)
   */
  signer?: string | undefined;
  /**
   * The hotkey as an SS58 address or `0x` + 64 hex public key, for a machine that holds only the
   * coldkey: it can register the hotkey and stake on it, while every call the hotkey signs
   * throws `bad-signer`. Ignored when `signer` is given.
   */
  hotkeyAddress?: string | undefined;
  /**
   * The coldkey that signs `burned_register` (and pays the burn), `add_stake` and `remove_stake`
   * and owns the stake, in the same forms as `signer`.
   * @default the hotkey itself (fine on a localnet; on mainnet keep the coldkey apart)
   */
  coldkey?: string | undefined;
  /** Aborts every wait, retry and send, for good (a process's shutdown signal). */
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /**
   * Tessera's clock on this subnet. Every participant must use the same values.
   * @default { startBlock: 0, blocksPerWindow: 30, windowsPerEpoch: 12, deadlineGraceBlocks: 2 }
   */
  timing?: Partial<SubnetTiming> | undefined;
  /**
   * Version key sent with weights. @default the subnet's `WeightsVersionKey` read from the chain
   */
  versionKey?: bigint | undefined;
  /** SS58 prefix used in logs. @default 42 */
  ss58Format?: number | undefined;
  /** Milliseconds one RPC request may take. @default 30000 */
  rpcTimeoutMs?: number | undefined;
  /** Milliseconds a transaction may take to be included in a block. @default 120000 */
  txTimeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
  /**
   * File that keeps the salts of committed weights until they are revealed, so a restart can
   * still reveal them. @default in memory only
   */
  revealStatePath?: string | undefined;
  /**
   * Reveal committed weights automatically once their reveal epoch opens (commit-reveal subnets).
   * @default true
   */
  autoReveal?: boolean | undefined;
};

/** What the runtime offers, read from its metadata at connect time. */
export type SubtensorRuntimeInfo = {
  specName: string;
  specVersion: number;
  /** Where a hotkey's stake on the subnet is read from. */
  stakeSource: 'TotalHotkeyAlpha' | 'TotalHotkeyStake';
  /** True when `add_stake` takes a netuid (dynamic TAO runtimes). */
  addStakeTakesNetuid: boolean;
  /** Most `Data` fields one commitment holds (the pallet's `MaxFields`). */
  maxFields: number;
  /** Largest `RawN` variant of the commitments pallet's `Data`. */
  maxRawBytes: number;
  /** True when `commit_weights` / `reveal_weights` exist. */
  hasCommitReveal: boolean;
  /**
   * True when `SubtensorModule.SubnetOwnerHotkey` exists: the hotkey whose commitment carries
   * the subnet's run config hash. Without it no run config hash is read or published.
   */
  hasSubnetOwnerHotkey: boolean;
};

/** A weight commit waiting for its reveal. */
export type PendingReveal = {
  netuid: number;
  /** blake2-256 commit hash, 0x-hex. */
  hash: Hex32;
  uids: number[];
  values: number[];
  salt: number[];
  /** Decimal string (JSON has no bigint). */
  versionKey: string;
  commitBlock: number;
  firstRevealBlock: number;
  lastRevealBlock: number;
};

/** The subtensor backend: {@link SubnetChain} plus what only Bittensor has. */
export type SubtensorChain = SubnetChain & {
  readonly kind: 'subtensor';
  readonly netuid: number;
  /** The hotkey's SS58 address. */
  readonly ss58Address: string;
  /** What the runtime offers. */
  readonly runtime: SubtensorRuntimeInfo;
  /** The coldkey's SS58 address, when one signs for this chain. */
  readonly coldkeySs58Address: string | undefined;
  /**
   * Stakes `amount` rao on a hotkey of the subnet (`add_stake`, signed by the coldkey): this
   * chain's hotkey, or the hotkey of `validatorUid`.
   */
  stake(parameters: { amount: bigint; validatorUid?: number | undefined }): Promise<TxReceipt>;
  /** Withdraws `amount` rao of the coldkey's stake on the hotkey (`remove_stake`, signed by the coldkey). */
  unstake(parameters: { amount: bigint; validatorUid?: number | undefined }): Promise<TxReceipt>;
  /**
   * Prices a write before it is sent: the subnet's registration burn (`SubtensorModule.Burn`),
   * the stake moved, each extrinsic's `paymentInfo` partial fee for the signing coldkey, and
   * the coldkey's free balance.
   */
  estimateWrite(write: PlannedWrite): Promise<WriteEstimate>;
  /**
   * Records the run config hash of the subnet: a `run-config` record in this hotkey's
   * commitment (`set_commitment`, signed by the hotkey), keeping its records of other kinds.
   * Only the subnet owner's hotkey (`SubtensorModule.SubnetOwnerHotkey`) may: roles read the
   * hash from that hotkey's commitment alone (`runConfigHash()`).
   *
   * @param parameters.hash - `hashRunConfig` of the run config, as `tessera init` prints it.
   * @throws NonRetryableChainError `bad-signer` when this hotkey is not the subnet owner's
   *   (nothing is sent), `unsupported-runtime` when the runtime has no `SubnetOwnerHotkey`.
   * @example
   * await chain.publishRunConfigHash({ hash: hashRunConfig({ hyperparameters }) });
   */
  publishRunConfigHash(parameters: { hash: Hex32 }): Promise<TxReceipt>;
  /** Stops reveal timers and closes the connection. Idempotent. */
  disconnect(): Promise<void>;
};

/** One account's commitment on the subnet, decoded. */
export type CommitmentEntry = {
  hotkey: `0x${string}`;
  /** The hotkey's uid at the block the entry was read at; undefined when it holds none. */
  uid: number | undefined;
  /** Block that included the commitment. */
  block: number;
  records: TesseraRecord[];
};

/** What the selection of aggregates and checkpoints needs to know about a neuron. */
export type ValidatorStanding = { stake: bigint; validatorPermit: boolean };
