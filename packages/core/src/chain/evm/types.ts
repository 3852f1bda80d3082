import type { SubnetContract, SubnetParams } from '@tessera/contracts';
import type { JsonRpcProvider, Signer } from 'ethers';
import type { Logger } from '../../common/logger.js';
import type {
  Address,
  Hex32,
  PlannedWrite,
  RetryOptions,
  SubnetChain,
  TxReceipt,
  WriteEstimate,
} from '../types.js';

/**
 * Where the subnet lives. A full `Deployment` (what `deploySubnet` returns and `loadDeployment`
 * reads) fits; so do bare addresses.
 */
export type EvmDeployment = {
  /** The Subnet contract. */
  subnet: string;
  /** The reward and stake token. @default read from the Subnet's `token()` */
  token?: string | undefined;
  /** The chain the subnet was deployed on; checked against the node at start. */
  chainId?: number | undefined;
  /** Block of the Subnet's deployment; log scans (claimed rewards) start here. @default 0 */
  deployBlock?: number | undefined;
};

/** Parameters of `createEvmChain`. */
export type CreateEvmChainParameters = {
  /** The node's HTTP JSON-RPC endpoint, e.g. `http://127.0.0.1:8545`. */
  rpcUrl: string;
  deployment: EvmDeployment;
  /**
   * The hotkey's 32-byte private key (0x-hex). It signs every write and pays gas, the
   * registration burn and stake. Give this or `signer`, or neither for a read-only chain.
   */
  privateKey?: string | undefined;
  /**
   * An ethers signer instead of a private key (a `Wallet`, `HDNodeWallet`, or a remote signer).
   * One without a provider is connected to this chain's provider.
   */
  signer?: Signer | undefined;
  /** The account a read-only chain reports as `address` and reads rewards for. @default the zero address */
  address?: string | undefined;
  logger?: Logger | undefined;
  /** Backoff for RPC faults: reads, gas estimates and broadcasts. @default { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000 } */
  retry?: RetryOptions | undefined;
  /** Milliseconds between polls of the head (waitForBlock) and of receipts. @default 1000 */
  pollMs?: number | undefined;
  /** Milliseconds one JSON-RPC request may take. @default 30000 */
  rpcTimeoutMs?: number | undefined;
  /** Milliseconds a sent transaction may take to be included. @default 120000 */
  txTimeoutMs?: number | undefined;
  /** Percent added to every gas estimate, for state that changes between estimate and inclusion. @default 20 */
  gasHeadroomPercent?: number | undefined;
  /** Largest block range of one `eth_getLogs` request (public RPCs cap it). @default 10000 */
  logRangeBlocks?: number | undefined;
  /** Aborts every retry, send and wait in flight, for good (a process's shutdown signal). */
  signal?: AbortSignal | undefined;
  /**
   * File that keeps the salts of committed weights until they are revealed in the next epoch, so
   * a validator that restarts in between can still reveal them. @default in memory only
   */
  revealStatePath?: string | undefined;
};

/** A weight commit of the EVM backend waiting for its reveal (one entry of the reveal store). */
export type EvmPendingReveal = {
  /** The Subnet contract it was committed to. */
  subnet: Address;
  /** The committing hotkey. */
  validator: Address;
  /** The epoch it was committed in; it is revealed during epoch + 1. */
  epoch: number;
  /** evmWeightCommitHash of the fields below. */
  hash: Hex32;
  uids: number[];
  /** Raw u16 weights, as committed. */
  values: number[];
  salt: Hex32;
  commitBlock: number;
};

/** The EVM backend: {@link SubnetChain} plus what only Tessera's contracts offer. */
export type EvmChain = SubnetChain & {
  readonly kind: 'evm';
  readonly chainId: number;
  readonly subnetAddress: Address;
  readonly tokenAddress: Address;
  /** The provider every read goes through (cacheTimeout -1, static network). */
  readonly provider: JsonRpcProvider;
  /** The Subnet, typed, for reads and event queries (connect a signer to write). */
  readonly subnet: SubnetContract;
  /** False when created without a key or signer: every write then throws `bad-signer`. */
  readonly canSign: boolean;
  /** The constants the Subnet was deployed with (read once, cached). */
  params(): Promise<Readonly<SubnetParams>>;
  /**
   * Stakes `amount` of the token on a validator: self stake when it is this account's own uid
   * (the default), delegation otherwise. Approves the Subnet first when the allowance is short.
   */
  stake(parameters: { amount: bigint; validatorUid?: number | undefined }): Promise<TxReceipt>;
  /** Withdraws `amount` of this account's stake on `validatorUid` (once its lock has passed). */
  unstake(parameters: { validatorUid: number; amount: bigint }): Promise<TxReceipt>;
  /**
   * Prices a write before it is sent: `eth_estimateGas` × `eth_gasPrice` per transaction, the
   * miner's registration burn, the stake moved, the TSR and ether balances (`estimateEvmWrite`).
   */
  estimateWrite(write: PlannedWrite): Promise<WriteEstimate>;
  /** The token balance of `address` (default: this account). */
  tokenBalance(parameters?: { address?: Address | undefined }): Promise<bigint>;
  /** Aborts waits and retries, lets queued sends finish broadcasting, closes the provider. Idempotent. */
  disconnect(): Promise<void>;
};
