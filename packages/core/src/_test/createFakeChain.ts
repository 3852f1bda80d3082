import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Aggregate, Checkpoint, Commitment, Hex32, SubnetChain, SubnetTiming } from '../chain/types.js';
import { NonRetryableChainError, RetryableChainError } from '../errors/chain.js';

/** An in-memory chain for tests: reads as a {@link SubnetChain}, written by the test. */
export type FakeChain = Pick<
  SubnetChain,
  | 'kind'
  | 'address'
  | 'timing'
  | 'blockNumber'
  | 'blockHash'
  | 'waitForBlock'
  | 'aggregate'
  | 'commitments'
  | 'latestCheckpoint'
> & {
  /** Moves the head forward by `blocks` and wakes every waiter whose block is reached. */
  mine(blocks?: number): void;
  /** Resolves once someone is blocked in `waitForBlock` (at once when someone already is). */
  nextWait(): Promise<number>;
  /** Records a commitment included at the current head. */
  addCommitment(commitment: Omit<Commitment, 'block' | 'hotkey'> & { block?: number }): void;
  /** Records an aggregate included at `block` (default: the current head), norm bound 1 unless given. */
  addAggregate(
    aggregate: Omit<Aggregate, 'block' | 'validator' | 'uri' | 'normBound'> & {
      block?: number;
      uri?: string;
      normBound?: number;
    },
  ): void;
  /** Sets the latest checkpoint, included at the current head. */
  setCheckpoint(checkpoint: Omit<Checkpoint, 'block' | 'validator'>): void;
  /** Calls of `aggregate()` so far. */
  readonly aggregateReads: number;
};

/**
 * Creates a {@link FakeChain} at block `head`, with the given timing.
 *
 * @example
 * const chain = createFakeChain({ timing: { startBlock: 0, blocksPerWindow: 10, windowsPerEpoch: 6, deadlineGraceBlocks: 2 } });
 * chain.mine(12);
 */
export function createFakeChain(parameters: { timing: SubnetTiming; head?: number }): FakeChain {
  const { timing } = parameters;
  let head = parameters.head ?? timing.startBlock;
  const waiters: { block: number; resolve: (head: number) => void }[] = [];
  const waitListeners: ((block: number) => void)[] = [];
  const commitments = new Map<number, Commitment[]>();
  const aggregates = new Map<number, Aggregate[]>();
  let checkpoint: Checkpoint | undefined;
  let aggregateReads = 0;
  const validator = '0x00000000000000000000000000000000000000a1' as const;

  return {
    kind: 'evm',
    address: '0x00000000000000000000000000000000000000b2',
    get aggregateReads() {
      return aggregateReads;
    },
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
    aggregate({ window }) {
      aggregateReads++;
      return Promise.resolve(aggregates.get(window)?.[0]);
    },
    commitments({ window }) {
      return Promise.resolve([...(commitments.get(window) ?? [])]);
    },
    latestCheckpoint: () => Promise.resolve(checkpoint),
    mine(blocks = 1) {
      head += blocks;
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
    addCommitment(commitment) {
      const list = commitments.get(commitment.window) ?? [];
      list.push({ hotkey: validator, block: head, ...commitment });
      commitments.set(commitment.window, list);
    },
    addAggregate(aggregate) {
      const list = aggregates.get(aggregate.window) ?? [];
      list.push({ validator, block: head, uri: '', normBound: 1, ...aggregate });
      aggregates.set(aggregate.window, list);
    },
    setCheckpoint(next) {
      checkpoint = { validator, block: head, ...next };
    },
  };
}
