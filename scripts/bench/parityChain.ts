import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { deadlineOfWindow, startBlockOfWindow } from '@tessera/core';
import type {
  Aggregate,
  Commitment,
  GetUpdateParameters,
  Hex32,
  ModelSyncChain,
  StoreRouter,
  SubnetTiming,
} from '@tessera/core';

/** Parameters of {@link createParityChain}. */
export type CreateParityChainParameters = {
  timing: SubnetTiming;
  /** Seeds the block hashes, so each seed of the benchmark draws its own assignments. */
  runSeed: Hex32;
};

/**
 * What the parity benchmark's protocol run keeps on chain and in stores: an in-memory chain
 * that `createModelSync` reads as any `SubnetChain`, and a router serving committed bytes.
 */
export type ParityChain = {
  chain: ModelSyncChain;
  router: Pick<StoreRouter, 'get'>;
  /** `blockhash(block)` ({@link parityBlockHash}). */
  blockHash(block: number): Hex32;
  /** Stores `bytes` and records the commitment, included at `startBlock(window + 1)`. */
  commit(commitment: Pick<Commitment, 'uid' | 'window' | 'digest' | 'modelHash'>, bytes: Uint8Array): void;
  /** Records the aggregate of its window, included at the window's deadline; the head moves there. */
  publishAggregate(aggregate: Pick<Aggregate, 'window' | 'uids' | 'modelHash' | 'normBound'>): void;
};

/**
 * The benchmark's `blockhash(block)`: keccak256 of `"<runSeed> block <n>"`, so each seed draws
 * its own assignments and every run of a seed draws the same ones.
 */
export function parityBlockHash(runSeed: Hex32, block: number): Hex32 {
  return `0x${bytesToHex(keccak_256(new TextEncoder().encode(`${runSeed} block ${block}`)))}`;
}

const validator = '0x00000000000000000000000000000000000000a1' as const;

/**
 * Creates the in-memory chain and store of one protocol run. Blocks advance only when an
 * aggregate is published (the benchmark runs windows back to back, no wall-clock waits), so
 * `waitForBlock` is never needed and refuses a block past the head.
 *
 * @example
 * const { chain, router, commit, publishAggregate } = createParityChain({ timing, runSeed: h.runSeed });
 * const sync = createModelSync({ chain, router, hyperparameters: h, modelConfig });
 */
export function createParityChain(parameters: CreateParityChainParameters): ParityChain {
  const { timing, runSeed } = parameters;
  const commitments = new Map<number, Commitment[]>();
  const aggregates = new Map<number, Aggregate>();
  const objects = new Map<string, Uint8Array>();
  let head = timing.startBlock;

  const blockHash = (block: number) => parityBlockHash(runSeed, block);

  const chain: ModelSyncChain = {
    timing: async () => timing,
    blockNumber: async () => head,
    blockHash: async (block) => blockHash(block),
    waitForBlock: async ({ block }) => {
      if (block > head) throw new Error(`parity chain: block ${block} is past the head ${head}`);
      return head;
    },
    aggregate: async ({ window }) => aggregates.get(window),
    commitments: async ({ window }) => [...(commitments.get(window) ?? [])],
    latestCheckpoint: async () => undefined,
  };

  const router: Pick<StoreRouter, 'get'> = {
    get: async ({ uri, maxBytes }: GetUpdateParameters) => {
      const bytes = objects.get(uri);
      if (bytes === undefined) throw new Error(`parity store: no object at ${uri}`);
      if (bytes.length > maxBytes) throw new Error(`parity store: ${uri} is over ${maxBytes} bytes`);
      return bytes;
    },
  };

  return {
    chain,
    router,
    blockHash,
    commit(commitment, bytes) {
      const uri = `memory://w${commitment.window}/uid-${commitment.uid}.tsu`;
      objects.set(uri, bytes);
      const list = commitments.get(commitment.window) ?? [];
      list.push({
        ...commitment,
        hotkey: `0x${commitment.uid.toString(16).padStart(40, '0')}`,
        uri,
        block: startBlockOfWindow({ ...timing, window: commitment.window + 1 }),
      });
      commitments.set(commitment.window, list);
    },
    publishAggregate(aggregate) {
      const block = deadlineOfWindow({ ...timing, window: aggregate.window });
      aggregates.set(aggregate.window, { ...aggregate, uri: '', validator, block });
      head = Math.max(head, block);
    },
  };
}
