import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  NonRetryableChainError,
  RetryableChainError,
  deadlineOfWindow,
  epochOfWindow,
  windowOfBlock,
} from '@tessera/core';
import type {
  Address,
  Aggregate,
  Checkpoint,
  Commitment,
  Hex32,
  Neuron,
  RevealedWeights,
  SubnetChain,
  SubnetTiming,
  TxReceipt,
} from '@tessera/core';

/** An in-memory subnet for validator tests: a whole {@link SubnetChain}, driven by the test. */
export type FakeSubnet = SubnetChain & {
  /** Moves the head to `block` (never back) and wakes the waiters it reaches. */
  mineTo(block: number): void;
  /** Resolves with the block someone waits for, once someone waits. */
  nextWait(): Promise<number>;
  /** Records a miner's commitment at the current head. */
  addCommitment(commitment: Omit<Commitment, 'block' | 'hotkey'>): void;
  readonly published: {
    aggregates: Aggregate[];
    checkpoints: Checkpoint[];
    /** Every setWeights call: a commit for `epoch`, the epoch of the head it landed at. */
    weights: { uids: number[]; weights: number[]; block: number; epoch: number }[];
    /** Commits revealed (in the epoch after theirs), in reveal order. */
    reveals: { epoch: number; uids: number[]; weights: number[]; block: number }[];
    settled: number[];
  };
};

/** Parameters of {@link createFakeSubnet}. */
export type CreateFakeSubnetParameters = {
  timing: SubnetTiming;
  /** Uid 0 is the validator signing (permit included); uids 1..miners are miners. */
  miners: number;
};

const receipt = (block: number): TxReceipt => ({ hash: `0x${'00'.repeat(32)}`, block, gasUsed: 0n });
const hotkeyOf = (uid: number): Address => `0x${uid.toString(16).padStart(40, '0')}`;

/**
 * Creates a {@link FakeSubnet} at its start block. Writes behave as the contract's and the EVM
 * backend's do where the validator relies on them: one aggregate per validator and window (a
 * second is rejected `Subnet__AlreadyPublished`), not before the deadline, with a positive
 * finite float32 norm bound; weights are committed for the head's epoch (a later commit in the
 * same epoch replaces the earlier) and revealed during the next epoch by setWeights or
 * revealPendingWeights, and visible through revealedWeights only then; settleEpoch settles
 * from the first block of epoch + 2, earlier epochs first, and returns undefined before that
 * or when already settled.
 *
 * @example
 * const chain = createFakeSubnet({ timing, miners: 3 });
 * chain.addCommitment({ uid: 1, window: 0, digest, uri, modelHash });
 */
export function createFakeSubnet(parameters: CreateFakeSubnetParameters): FakeSubnet {
  const { timing } = parameters;
  let head = timing.startBlock;
  const waiters: { block: number; resolve: (head: number) => void }[] = [];
  const waitListeners: ((block: number) => void)[] = [];
  const commitments = new Map<number, Commitment[]>();
  const published: FakeSubnet['published'] = {
    aggregates: [],
    checkpoints: [],
    weights: [],
    reveals: [],
    settled: [],
  };
  const epochAt = (block: number) =>
    epochOfWindow({ window: windowOfBlock({ block, ...timing }), ...timing });
  /** Commits not revealed yet, by epoch (one per epoch: a later commit replaces). */
  const pending = new Map<number, { uids: number[]; weights: number[] }>();
  const revealDue = () => {
    const current = epochAt(head);
    for (const [epoch, commit] of [...pending].sort((a, b) => a[0] - b[0])) {
      if (current <= epoch) continue;
      pending.delete(epoch);
      if (current === epoch + 1) published.reveals.push({ epoch, ...commit, block: head });
    }
  };
  const neurons: Neuron[] = Array.from({ length: parameters.miners + 1 }, (_, uid) => ({
    uid,
    hotkey: hotkeyOf(uid),
    isValidator: uid === 0,
    stake: uid === 0 ? 1000n : 0n,
    validatorPermit: uid === 0,
    incentive: 0,
    dividends: 0,
    registeredAt: timing.startBlock,
  }));
  const unsupported = () =>
    Promise.reject(new NonRetryableChainError('unsupported-operation', 'Not in the fake.'));

  return {
    kind: 'evm',
    address: hotkeyOf(0),
    published,
    timing: () => Promise.resolve({ ...timing }),
    blockNumber: () => Promise.resolve(head),
    blockHash(block) {
      if (block > head)
        return Promise.reject(new NonRetryableChainError('not-found', `No block ${block} yet.`));
      return Promise.resolve(
        `0x${bytesToHex(keccak_256(new TextEncoder().encode(`block ${block}`)))}` as Hex32,
      );
    },
    waitForBlock({ block, signal }) {
      if (head >= block) return Promise.resolve(head);
      return new Promise((resolve, reject) => {
        const waiter = { block, resolve };
        waiters.push(waiter);
        signal?.addEventListener(
          'abort',
          () => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new RetryableChainError('aborted', 'waitForBlock aborted.', { cause: signal.reason }));
          },
          { once: true },
        );
        for (const listener of waitListeners.splice(0)) listener(block);
      });
    },
    mineTo(block) {
      head = Math.max(head, block);
      for (const waiter of [...waiters]) {
        if (waiter.block <= head) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(head);
        }
      }
    },
    nextWait() {
      const blocked = waiters[0];
      if (blocked !== undefined) return Promise.resolve(blocked.block);
      return new Promise((resolve) => waitListeners.push(resolve));
    },
    metagraph: () => Promise.resolve({ block: head, neurons: neurons.map((n) => ({ ...n })) }),
    uidOf: (address) =>
      Promise.resolve(
        neurons.find((n) => n.hotkey.toLowerCase() === (address ?? hotkeyOf(0)).toLowerCase())?.uid,
      ),
    registerMiner: unsupported,
    registerValidator: unsupported,
    delegate: unsupported,
    commit: unsupported,
    addCommitment(commitment) {
      const list = commitments.get(commitment.window) ?? [];
      list.push({ ...commitment, hotkey: hotkeyOf(commitment.uid), block: head });
      commitments.set(commitment.window, list);
    },
    commitments: ({ window }) => Promise.resolve((commitments.get(window) ?? []).map((c) => ({ ...c }))),
    publishAggregate({ window, uids, modelHash, normBound, uri }) {
      if (!(Number.isFinite(normBound) && normBound > 0 && Math.fround(normBound) === normBound)) {
        return Promise.reject(
          new NonRetryableChainError(
            'invalid-parameter',
            'normBound must be a positive, finite float32 value.',
          ),
        );
      }
      if (head < deadlineOfWindow({ window, ...timing })) {
        return Promise.reject(
          new NonRetryableChainError('rejected', 'Too early.', { chainCode: 'Subnet__AggregateTooEarly' }),
        );
      }
      if (published.aggregates.some((a) => a.window === window)) {
        return Promise.reject(
          new NonRetryableChainError('rejected', 'Already published.', {
            chainCode: 'Subnet__AlreadyPublished',
          }),
        );
      }
      published.aggregates.push({
        window,
        uids: [...uids],
        modelHash,
        normBound,
        uri,
        validator: hotkeyOf(0),
        block: head,
      });
      return Promise.resolve(receipt(head));
    },
    aggregate: ({ window }) => Promise.resolve(published.aggregates.find((a) => a.window === window)),
    publishCheckpoint({ window, modelHash, uri }) {
      published.checkpoints.push({ window, modelHash, uri, validator: hotkeyOf(0), block: head });
      return Promise.resolve(receipt(head));
    },
    latestCheckpoint: () => Promise.resolve(published.checkpoints.at(-1)),
    setWeights({ uids, weights }) {
      if (uids.length !== weights.length || !weights.some((w) => w > 0)) {
        return Promise.reject(new NonRetryableChainError('invalid-parameter', 'Weights out of shape.'));
      }
      revealDue();
      const epoch = epochAt(head);
      published.weights.push({ uids: [...uids], weights: [...weights], block: head, epoch });
      pending.set(epoch, { uids: [...uids], weights: [...weights] });
      return Promise.resolve(receipt(head));
    },
    revealPendingWeights() {
      revealDue();
      return Promise.resolve();
    },
    revealedWeights({ epoch }) {
      const rows: RevealedWeights[] = published.reveals
        .filter((r) => r.epoch === epoch)
        .map((r) => {
          const pairs = r.uids
            .map((uid, i) => [uid, r.weights[i] ?? 0] as const)
            .filter(([, w]) => w > 0)
            .sort((a, b) => a[0] - b[0]);
          const sum = pairs.reduce((total, [, w]) => total + w, 0);
          return {
            validatorUid: 0,
            validator: hotkeyOf(0),
            uids: pairs.map(([uid]) => uid),
            weights: pairs.map(([, w]) => w / sum),
          };
        });
      return Promise.resolve(rows);
    },
    settleEpoch({ epoch }) {
      if (epoch < published.settled.length) return Promise.resolve(undefined);
      // Settlement of an epoch opens at the first block of epoch + 2; earlier ones go first.
      if (epochAt(head) < epoch + 2) return Promise.resolve(undefined);
      while (published.settled.length <= epoch) published.settled.push(published.settled.length);
      return Promise.resolve(receipt(head));
    },
    rewards: () => Promise.resolve({ claimable: 0n, claimed: 0n }),
    claim: unsupported,
  };
}
