import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { getAddress } from 'ethers';
import { checkInput } from '../chain/checkInput.js';
import { checkNormBound } from '../chain/checkNormBound.js';
import { toU16Weights } from '../chain/toU16Weights.js';
import type {
  Address,
  Aggregate,
  Checkpoint,
  Commitment,
  Hex32,
  Neuron,
  RevealedWeights,
  Rewards,
  SubnetChain,
  SubnetTiming,
  TxReceipt,
} from '../chain/types.js';
import { NonRetryableChainError, RetryableChainError } from '../errors/chain.js';
import { deadlineOfWindow } from '../protocol/deadlineOfWindow.js';
import { epochOfWindow } from '../protocol/epochOfWindow.js';
import { selectLeadAggregate } from '../protocol/selectLeadAggregate.js';
import { startBlockOfEpoch } from '../protocol/startBlockOfEpoch.js';
import { startBlockOfWindow } from '../protocol/startBlockOfWindow.js';
import { windowOfBlock } from '../protocol/windowOfBlock.js';

/** The operations of {@link SubnetChain} a fault can be injected into. */
export type MemoryChainOperation = {
  [K in keyof SubnetChain]-?: SubnetChain[K] extends (...args: never[]) => unknown ? K : never;
}[keyof SubnetChain];

/** What the subnet recorded, for tests to assert on (shared by every signer's view). */
export type MemoryChainRecord = {
  /** Every aggregate published through `publishAggregate` or `addAggregate`, in order. */
  aggregates: Aggregate[];
  /** Every checkpoint published through `publishCheckpoint` or `setCheckpoint`, in order. */
  checkpoints: Checkpoint[];
  /** Every setWeights call: a commit for `epoch`, the epoch of the head it landed at (weights as given). */
  weights: { validatorUid: number; uids: number[]; weights: number[]; block: number; epoch: number }[];
  /** Commits revealed (in the epoch after theirs), in reveal order (weights as given to setWeights). */
  reveals: { validatorUid: number; epoch: number; uids: number[]; weights: number[]; block: number }[];
  /** Epochs settled, in order. */
  settled: number[];
};

/**
 * An in-memory subnet, seen through one signing account: the whole {@link SubnetChain}, held to
 * the same rules as the EVM backend on Tessera's contracts (the conformance suite checks it),
 * plus hooks that drive it from a test.
 *
 * Blocks move only when the test mines them: a write is included in the current head block
 * (`receipt.block` is the head), and every rule is checked against the head.
 */
export type MemoryChain = SubnetChain & {
  readonly kind: 'memory';
  /** The same subnet seen through another account (registered or not). */
  as(address: Address): MemoryChain;
  /** The deterministic address of account `index` (accounts pre-registered by `validators` and `miners` are 0, 1, …). */
  account(index: number): Address;
  /** Moves the head forward by `blocks` and wakes every waiter whose block is reached. */
  mine(blocks?: number): void;
  /** Moves the head to `block` (never back) and wakes the waiters it reaches. */
  mineTo(block: number): void;
  /** Resolves with the block someone waits for, once someone waits (at once when someone already does). */
  nextWait(): Promise<number>;
  /**
   * Records a commitment as if miner `uid` had sent it, without the commit rules. Included at
   * `block`: by default the head, or the last block before the window's deadline when the head is
   * past it (a commitment that made it in time).
   */
  addCommitment(commitment: Omit<Commitment, 'block' | 'hotkey'> & { block?: number | undefined }): void;
  /**
   * Records an aggregate as if validator `validatorUid` (default: this account's uid, else 0) had
   * published it, without the publish rules; included at `block` (default: the head), norm bound 1
   * and an empty uri unless given.
   */
  addAggregate(
    aggregate: Omit<Aggregate, 'block' | 'validator' | 'uri' | 'normBound'> & {
      block?: number | undefined;
      uri?: string | undefined;
      normBound?: number | undefined;
      validatorUid?: number | undefined;
    },
  ): void;
  /** Makes this the latest checkpoint, included at the head, published by the first validator. */
  setCheckpoint(checkpoint: Omit<Checkpoint, 'block' | 'validator'>): void;
  /** Credits `amount` of claimable rewards to `address` (as a settlement would). */
  credit(parameters: { address: Address; amount: bigint }): void;
  /** The next `times` calls of `operation` (by any signer) reject with `error` before doing anything. */
  failNext(parameters: { operation: MemoryChainOperation; error: unknown; times?: number | undefined }): void;
  readonly published: MemoryChainRecord;
  /** Calls of `aggregate()` so far. */
  readonly aggregateReads: number;
};

/** Parameters of {@link createMemoryChain}. */
export type CreateMemoryChainParameters = {
  timing: SubnetTiming;
  /** Names the subnet: `subnetId` is `memory:<name>`. @default 'subnet' */
  name?: string | undefined;
  /** The first head. @default timing.startBlock */
  head?: number | undefined;
  /** Validators registered up front: uids 0 … validators − 1, stake 1000 each, with permits. @default 0 */
  validators?: number | undefined;
  /** Miners registered up front, after the validators. @default 0 */
  miners?: number | undefined;
  /** Index of the account that signs. @default 0 */
  signer?: number | undefined;
  /** Smallest self stake a validator registers with. @default 1 */
  minValidatorStake?: bigint | undefined;
  /** Validators holding a permit: the top stakes, lowest uid first on a tie. @default every validator */
  maxValidators?: number | undefined;
  /** Longest uri, in UTF-8 bytes. @default 256 */
  maxUriLength?: number | undefined;
  /** The run config hash the subnet records (`runConfigHash()`). @default none */
  runConfigHash?: Hex32 | undefined;
};

type StoredAggregate = Aggregate & { validatorUid: number };
type WeightCommit = { uids: number[]; weights: number[]; values: number[] };

type World = {
  timing: SubnetTiming;
  runConfigHash: Hex32 | undefined;
  subnetId: string;
  head: number;
  txs: number;
  neurons: Neuron[];
  commitments: Map<number, Commitment[]>;
  aggregates: Map<number, StoredAggregate[]>;
  latestCheckpoint: Checkpoint | undefined;
  /** By validator uid, then epoch: commits waiting for their reveal. */
  weightCommits: Map<number, Map<number, WeightCommit>>;
  /** By epoch, then validator uid: revealed u16 rows. */
  revealed: Map<number, Map<number, number[][]>>;
  nextEpoch: number;
  rewards: Map<Address, Rewards>;
  waiters: { block: number; resolve: (head: number) => void }[];
  waitListeners: ((block: number) => void)[];
  faults: Map<string, unknown[]>;
  published: MemoryChainRecord;
  aggregateReads: number;
  minValidatorStake: bigint;
  maxValidators: number;
  maxUriLength: number;
};

const PRELOADED_STAKE = 1_000n;

/** The deterministic address of in-memory account `index`. */
export function memoryAccount(index: number): Address {
  return getAddress(`0x${(0xa11ce000 + index).toString(16).padStart(40, '0')}`) as Address;
}

const hashOf = (text: string): Hex32 => `0x${bytesToHex(keccak_256(new TextEncoder().encode(text)))}`;

/**
 * Creates an in-memory {@link SubnetChain} for tests, at `head` (default the start block). It
 * follows the rules of Tessera's contracts, with the window clock and the lead-aggregate rule
 * taken from core/protocol: one commitment per miner and window, accepted from the window's
 * first block until its deadline; one aggregate per permitted validator and window, from the
 * deadline on, over uids that committed; weights committed for the head's epoch (a later commit
 * in the epoch replaces the earlier) and revealed during the next one; epochs settled in order
 * from the first block of epoch + 2. Writes return the same typed outcomes as the real backends.
 *
 * @example
 * const chain = createMemoryChain({ timing, validators: 1, miners: 3 });
 * chain.addCommitment({ uid: 1, window: 0, digest, uri, modelHash });
 * chain.mineTo(deadlineOfWindow({ window: 0, ...timing }));
 * await chain.publishAggregate({ window: 0, uids: [1], modelHash, normBound: 1, uri: '' });
 */
export function createMemoryChain(parameters: CreateMemoryChainParameters): MemoryChain {
  const { timing } = parameters;
  const validators = parameters.validators ?? 0;
  const miners = parameters.miners ?? 0;
  const head = parameters.head ?? timing.startBlock;
  const world: World = {
    timing: { ...timing },
    runConfigHash:
      parameters.runConfigHash === undefined
        ? undefined
        : (checkInput.hex32(parameters.runConfigHash, 'runConfigHash').toLowerCase() as Hex32),
    subnetId: `memory:${parameters.name ?? 'subnet'}`,
    head,
    txs: 0,
    neurons: Array.from({ length: validators + miners }, (_, uid) => ({
      uid,
      hotkey: memoryAccount(uid),
      isValidator: uid < validators,
      stake: uid < validators ? PRELOADED_STAKE : 0n,
      validatorPermit: false,
      incentive: 0,
      dividends: 0,
      registeredAt: head,
    })),
    commitments: new Map(),
    aggregates: new Map(),
    latestCheckpoint: undefined,
    weightCommits: new Map(),
    revealed: new Map(),
    nextEpoch: 0,
    rewards: new Map(),
    waiters: [],
    waitListeners: [],
    faults: new Map(),
    published: { aggregates: [], checkpoints: [], weights: [], reveals: [], settled: [] },
    aggregateReads: 0,
    minValidatorStake: parameters.minValidatorStake ?? 1n,
    maxValidators: parameters.maxValidators ?? Number.POSITIVE_INFINITY,
    maxUriLength: parameters.maxUriLength ?? 256,
  };
  return viewOf(world, memoryAccount(parameters.signer ?? 0));
}

function rejected(message: string, details?: string): NonRetryableChainError {
  return new NonRetryableChainError('rejected', message, { details });
}

function viewOf(world: World, address: Address): MemoryChain {
  const t = world.timing;
  const receipt = (): TxReceipt => ({
    hash: hashOf(`memory tx ${world.txs++}`),
    block: world.head,
    gasUsed: 0n,
  });
  const neuronOf = (who: Address) => world.neurons.find((n) => n.hotkey === who);
  const permitted = (): Set<number> => {
    const ranked = world.neurons
      .filter((n) => n.isValidator)
      .sort((a, b) => (a.stake === b.stake ? a.uid - b.uid : a.stake > b.stake ? -1 : 1));
    return new Set(ranked.slice(0, world.maxValidators).map((n) => n.uid));
  };
  const requireNeuron = (): Neuron => {
    const neuron = neuronOf(address);
    if (!neuron) {
      throw new NonRetryableChainError('not-registered', `${address} has no uid on this subnet.`, {
        hint: 'Register first.',
      });
    }
    return neuron;
  };
  const requirePermit = (): Neuron => {
    const neuron = requireNeuron();
    if (!neuron.isValidator) throw rejected(`uid ${neuron.uid} is not a validator.`);
    if (!permitted().has(neuron.uid)) throw rejected(`uid ${neuron.uid} has no validator permit.`);
    return neuron;
  };
  const epochAt = (block: number): number => {
    if (block < t.startBlock) throw rejected('The subnet has not started yet.', `block ${block}`);
    return epochOfWindow({ window: windowOfBlock({ block, ...t }), windowsPerEpoch: t.windowsPerEpoch });
  };
  const wake = () => {
    for (const waiter of [...world.waiters]) {
      if (waiter.block <= world.head) {
        world.waiters.splice(world.waiters.indexOf(waiter), 1);
        waiter.resolve(world.head);
      }
    }
  };
  const hotkeyOfUid = (uid: number) => world.neurons[uid]?.hotkey ?? memoryAccount(uid);

  const revealDue = (uid: number) => {
    const commits = world.weightCommits.get(uid);
    if (!commits) return;
    const current = epochAt(world.head);
    for (const [epoch, commit] of [...commits].sort((a, b) => a[0] - b[0])) {
      if (current <= epoch) continue;
      commits.delete(epoch);
      if (current !== epoch + 1) continue; // too late: the commit expired
      const rows = world.revealed.get(epoch) ?? new Map<number, number[][]>();
      rows.set(uid, [commit.uids, commit.values]);
      world.revealed.set(epoch, rows);
      world.published.reveals.push({
        validatorUid: uid,
        epoch,
        uids: commit.uids,
        weights: commit.weights,
        block: world.head,
      });
    }
  };

  const api: SubnetChain = {
    kind: 'memory',
    subnetId: world.subnetId,
    address,

    timing: async () => ({ ...t }),
    runConfigHash: async () => world.runConfigHash,
    blockNumber: async () => world.head,
    blockHash: async (block) => {
      checkInput.uint(block, 'block');
      if (block > world.head)
        throw new NonRetryableChainError('not-found', `Block ${block} is not known yet.`, {
          details: `head ${world.head}`,
        });
      return hashOf(`block ${block}`);
    },
    waitForBlock: ({ block, signal }) => {
      checkInput.uint(block, 'block');
      if (world.head >= block) return Promise.resolve(world.head);
      if (signal?.aborted)
        return Promise.reject(
          new RetryableChainError('aborted', `Aborted while waiting for block ${block}.`),
        );
      return new Promise((resolve, reject) => {
        const waiter = { block, resolve };
        world.waiters.push(waiter);
        signal?.addEventListener(
          'abort',
          () => {
            const at = world.waiters.indexOf(waiter);
            if (at >= 0) world.waiters.splice(at, 1);
            reject(
              new RetryableChainError('aborted', `Aborted while waiting for block ${block}.`, {
                cause: signal.reason,
              }),
            );
          },
          { once: true },
        );
        for (const listener of world.waitListeners.splice(0)) listener(block);
      });
    },

    metagraph: async () => {
      const permits = permitted();
      return {
        block: world.head,
        neurons: world.neurons.map((n) => ({ ...n, validatorPermit: permits.has(n.uid) })),
      };
    },
    uidOf: async (who) => neuronOf(who === undefined ? address : checkInput.address(who, 'address'))?.uid,

    registerMiner: async () => {
      const existing = neuronOf(address);
      if (existing) return { status: 'already-registered', uid: existing.uid };
      const uid = register(false, 0n);
      return { status: 'registered', uid, receipt: receipt() };
    },
    registerValidator: async ({ stake }) => {
      const amount = checkInput.amount(stake, 'stake');
      const existing = neuronOf(address);
      if (existing) return { status: 'already-registered', uid: existing.uid };
      if (amount < world.minValidatorStake)
        throw rejected(
          'The stake is below the minimum validator stake.',
          `${amount} < ${world.minValidatorStake}`,
        );
      const uid = register(true, amount);
      return { status: 'registered', uid, receipt: receipt() };
    },
    delegate: async ({ validatorUid, amount }) => {
      const uid = checkInput.uid(validatorUid, 'validatorUid');
      const value = checkInput.amount(amount, 'amount');
      const neuron = world.neurons[uid];
      if (!neuron?.isValidator) throw rejected(`uid ${uid} is not a validator.`);
      neuron.stake += value;
      return receipt();
    },

    commit: async ({ window, digest, uri, modelHash }) => {
      const w = checkInput.uint(window, 'window');
      const d = checkInput.hex32(digest, 'digest');
      const m = checkInput.hex32(modelHash, 'modelHash');
      const u = checkInput.uri(uri, 'uri', world.maxUriLength, false);
      const neuron = requireNeuron();
      if (neuron.isValidator) throw rejected(`uid ${neuron.uid} is not a miner.`);
      const opens = startBlockOfWindow({ window: w, ...t });
      if (world.head < opens) throw rejected(`Window ${w} has not started.`, `opens at block ${opens}`);
      const closes = deadlineOfWindow({ window: w, ...t });
      if (world.head >= closes)
        throw rejected(`The deadline of window ${w} has passed.`, `deadline ${closes}`);
      const list = world.commitments.get(w) ?? [];
      if (list.some((c) => c.uid === neuron.uid)) return { status: 'already-committed' };
      list.push({
        uid: neuron.uid,
        hotkey: address,
        window: w,
        digest: d,
        uri: u,
        modelHash: m,
        block: world.head,
      });
      world.commitments.set(w, list);
      return { status: 'committed', receipt: receipt() };
    },
    commitments: async ({ window }) => {
      const w = checkInput.uint(window, 'window');
      const closes = deadlineOfWindow({ window: w, ...t });
      return (world.commitments.get(w) ?? [])
        .filter((c) => c.block < closes)
        .map((c) => ({ ...c }))
        .sort((a, b) => a.uid - b.uid);
    },

    publishAggregate: async ({ window, uids, modelHash, normBound, uri }) => {
      const w = checkInput.uint(window, 'window');
      const set = checkInput.uids(uids, 'uids');
      const m = checkInput.hex32(modelHash, 'modelHash');
      const bound = checkNormBound(normBound, 'normBound');
      const u = checkInput.uri(uri, 'uri', world.maxUriLength, true);
      const neuron = requirePermit();
      const closes = deadlineOfWindow({ window: w, ...t });
      if (world.head < closes)
        throw rejected(`The aggregate of window ${w} is too early.`, `deadline ${closes}`);
      const committed = new Set((world.commitments.get(w) ?? []).map((c) => c.uid));
      const missing = set.find((uid) => !committed.has(uid));
      if (missing !== undefined) throw rejected(`uid ${missing} has no commitment for window ${w}.`);
      const list = world.aggregates.get(w) ?? [];
      if (list.some((a) => a.validator === address)) return { status: 'already-published' };
      const aggregate: StoredAggregate = {
        window: w,
        uids: set,
        modelHash: m,
        normBound: bound,
        uri: u,
        validator: address,
        block: world.head,
        validatorUid: neuron.uid,
      };
      list.push(aggregate);
      world.aggregates.set(w, list);
      world.published.aggregates.push(publicAggregate(aggregate));
      return { status: 'published', receipt: receipt() };
    },
    aggregate: async ({ window }) => {
      world.aggregateReads++;
      const w = checkInput.uint(window, 'window');
      const lead = selectLeadAggregate({
        candidates: (world.aggregates.get(w) ?? []).map((aggregate) => {
          const neuron = world.neurons[aggregate.validatorUid];
          const stake = neuron?.isValidator && neuron.hotkey === aggregate.validator ? neuron.stake : 0n;
          return { aggregate, validatorUid: aggregate.validatorUid, stake, block: aggregate.block };
        }),
        beforeBlock: startBlockOfWindow({ window: w + 2, ...t }),
      });
      return lead && publicAggregate(lead.aggregate);
    },
    publishCheckpoint: async ({ window, modelHash, uri }) => {
      const w = checkInput.uint(window, 'window');
      const m = checkInput.hex32(modelHash, 'modelHash');
      const u = checkInput.uri(uri, 'uri', world.maxUriLength, false);
      requirePermit();
      const opens = startBlockOfWindow({ window: w, ...t });
      if (world.head < opens) throw rejected(`Window ${w} has not started.`, `opens at block ${opens}`);
      storeCheckpoint({ window: w, modelHash: m, uri: u, validator: address, block: world.head });
      return { status: 'published', receipt: receipt() };
    },
    latestCheckpoint: async () => world.latestCheckpoint && { ...world.latestCheckpoint },

    setWeights: async ({ uids, weights }) => {
      const vector = toU16Weights({ uids, weights });
      const neuron = requirePermit();
      revealDue(neuron.uid);
      const epoch = epochAt(world.head);
      const commits = world.weightCommits.get(neuron.uid) ?? new Map<number, WeightCommit>();
      commits.set(epoch, { uids: vector.uids, weights: [...weights], values: vector.values });
      world.weightCommits.set(neuron.uid, commits);
      world.published.weights.push({
        validatorUid: neuron.uid,
        uids: [...uids],
        weights: [...weights],
        block: world.head,
        epoch,
      });
      return receipt();
    },
    revealPendingWeights: async () => {
      const neuron = neuronOf(address);
      if (neuron) revealDue(neuron.uid);
    },
    revealedWeights: async ({ epoch }) => {
      const e = checkInput.uint(epoch, 'epoch');
      const rows: RevealedWeights[] = [];
      for (const [validatorUid, [rowUids, values]] of world.revealed.get(e) ?? []) {
        const sum = (values ?? []).reduce((total, v) => total + v, 0);
        rows.push({
          validatorUid,
          validator: hotkeyOfUid(validatorUid),
          uids: [...(rowUids ?? [])],
          weights: (values ?? []).map((v) => v / sum),
        });
      }
      return rows.sort((a, b) => a.validatorUid - b.validatorUid);
    },
    settleEpoch: async ({ epoch }) => {
      const e = checkInput.uint(epoch, 'epoch');
      if (e < world.nextEpoch) return { status: 'already-settled' };
      const opensAt = startBlockOfEpoch({ epoch: e + 2, ...t });
      if (world.head < opensAt) return { status: 'not-open', opensAt };
      while (world.nextEpoch <= e) world.published.settled.push(world.nextEpoch++);
      return { status: 'settled', receipt: receipt() };
    },
    rewards: async (options) => {
      const who = options?.address === undefined ? address : checkInput.address(options.address, 'address');
      return { ...(world.rewards.get(who) ?? { claimable: 0n, claimed: 0n }) };
    },
    claim: async () => {
      const rewards = world.rewards.get(address);
      if (!rewards || rewards.claimable === 0n) throw rejected(`${address} has nothing to claim.`);
      world.rewards.set(address, { claimable: 0n, claimed: rewards.claimed + rewards.claimable });
      return receipt();
    },
  };

  function register(isValidator: boolean, stake: bigint): number {
    const uid = world.neurons.length;
    world.neurons.push({
      uid,
      hotkey: address,
      isValidator,
      stake,
      validatorPermit: false,
      incentive: 0,
      dividends: 0,
      registeredAt: world.head,
    });
    return uid;
  }

  function storeCheckpoint(checkpoint: Checkpoint) {
    const latest = world.latestCheckpoint;
    if (!latest || checkpoint.window >= latest.window) world.latestCheckpoint = checkpoint;
    world.published.checkpoints.push({ ...checkpoint });
  }

  // Faults: every operation first takes the next error queued for it, if any.
  const withFaults = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(api)) {
    if (typeof value !== 'function') continue;
    withFaults[name] = (...args: unknown[]) => {
      const queued = world.faults.get(name);
      if (queued && queued.length > 0) return Promise.reject(queued.shift());
      try {
        return (value as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        return Promise.reject(error);
      }
    };
  }

  const hooks: Omit<MemoryChain, keyof SubnetChain> = {
    as: (other) => viewOf(world, checkInput.address(other, 'address')),
    account: memoryAccount,
    mine: (blocks = 1) => {
      world.head += checkInput.uint(blocks, 'blocks');
      wake();
    },
    mineTo: (block) => {
      world.head = Math.max(world.head, checkInput.uint(block, 'block'));
      wake();
    },
    nextWait: () => {
      const blocked = world.waiters[0];
      if (blocked !== undefined) return Promise.resolve(blocked.block);
      return new Promise((resolve) => world.waitListeners.push(resolve));
    },
    addCommitment: ({ block, ...commitment }) => {
      const closes = deadlineOfWindow({ window: commitment.window, ...t });
      const list = world.commitments.get(commitment.window) ?? [];
      list.push({
        ...commitment,
        hotkey: hotkeyOfUid(commitment.uid),
        block: block ?? Math.min(world.head, closes - 1),
      });
      world.commitments.set(commitment.window, list);
    },
    addAggregate: ({ block, uri, normBound, validatorUid, ...aggregate }) => {
      const uid = validatorUid ?? neuronOf(address)?.uid ?? 0;
      const stored: StoredAggregate = {
        ...aggregate,
        uri: uri ?? '',
        normBound: normBound ?? 1,
        validator: hotkeyOfUid(uid),
        block: block ?? world.head,
        validatorUid: uid,
      };
      const list = world.aggregates.get(aggregate.window) ?? [];
      list.push(stored);
      world.aggregates.set(aggregate.window, list);
      world.published.aggregates.push(publicAggregate(stored));
    },
    setCheckpoint: (checkpoint) => {
      const validator = world.neurons.find((n) => n.isValidator)?.hotkey ?? address;
      storeCheckpoint({ ...checkpoint, validator, block: world.head });
    },
    credit: ({ address: who, amount }) => {
      const account = checkInput.address(who, 'address');
      const rewards = world.rewards.get(account) ?? { claimable: 0n, claimed: 0n };
      world.rewards.set(account, { ...rewards, claimable: rewards.claimable + amount });
    },
    failNext: ({ operation, error, times = 1 }) => {
      const queued = world.faults.get(operation) ?? [];
      for (let i = 0; i < times; i++) queued.push(error);
      world.faults.set(operation, queued);
    },
    published: world.published,
    get aggregateReads() {
      return world.aggregateReads;
    },
  };
  return Object.defineProperties(
    { ...api, ...withFaults } as MemoryChain,
    Object.getOwnPropertyDescriptors(hooks),
  );
}

function publicAggregate(aggregate: StoredAggregate): Aggregate {
  const { validatorUid: _uid, ...rest } = aggregate;
  return { ...rest, uids: [...rest.uids] };
}
