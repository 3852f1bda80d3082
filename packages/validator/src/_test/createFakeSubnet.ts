import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { NonRetryableChainError, RetryableChainError, deadlineOfWindow, epochOfWindow } from '@tessera/core';
import type {
  Address,
  Aggregate,
  Checkpoint,
  Commitment,
  Hex32,
  Neuron,
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
    weights: { uids: number[]; weights: number[]; block: number }[];
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
 * Creates a {@link FakeSubnet} at its start block. Writes behave as the contract's do where
 * the validator relies on them: one aggregate per validator and window (a second is
 * rejected `Subnet__AlreadyPublished`), not before the deadline; epochs settle in order
 * once ended.
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
  const published: FakeSubnet['published'] = { aggregates: [], checkpoints: [], weights: [], settled: [] };
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
    Promise.reject(new NonRetryableChainError('unsupported_operation', 'Not in the fake.'));

  return {
    kind: 'evm',
    address: hotkeyOf(0),
    published,
    timing: () => Promise.resolve({ ...timing }),
    blockNumber: () => Promise.resolve(head),
    blockHash(block) {
      if (block > head)
        return Promise.reject(new NonRetryableChainError('not_found', `No block ${block} yet.`));
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
    publishAggregate({ window, uids, modelHash, uri }) {
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
      published.weights.push({ uids: [...uids], weights: [...weights], block: head });
      return Promise.resolve(receipt(head));
    },
    settleEpoch({ epoch }) {
      const next = published.settled.length;
      if (epoch < next) return Promise.resolve(undefined);
      const ended =
        epochOfWindow({
          window: Math.floor((head - timing.startBlock) / timing.blocksPerWindow),
          ...timing,
        }) > epoch;
      if (epoch > next || !ended) {
        return Promise.reject(
          new NonRetryableChainError('rejected', 'Cannot settle.', { chainCode: 'Subnet__EpochNotEnded' }),
        );
      }
      published.settled.push(epoch);
      return Promise.resolve(receipt(head));
    },
    rewards: () => Promise.resolve({ claimable: 0n, claimed: 0n }),
    claim: unsupported,
  };
}
