import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Hex32, SubnetChain, SubnetTiming } from '../chain/types.js';
import { isChainError } from '../errors/chain.js';
import { deadlineOfWindow } from '../protocol/deadlineOfWindow.js';
import { epochOfWindow } from '../protocol/epochOfWindow.js';
import { startBlockOfEpoch } from '../protocol/startBlockOfEpoch.js';
import { startBlockOfWindow } from '../protocol/startBlockOfWindow.js';
import { reasonOf, rejectionOf } from './rejectionOf.js';
import { windowOfBlock } from '../protocol/windowOfBlock.js';

/**
 * A fresh subnet for the conformance suite: chains signed by accounts that are not registered
 * yet, and a way to move the clock.
 */
export type SubnetChainHarness = {
  /** Two validator accounts; each can afford `stake * 2n`. */
  validators: [SubnetChain, SubnetChain];
  /** Two miner accounts. */
  miners: [SubnetChain, SubnetChain];
  /** An account that never registers. */
  outsider: SubnetChain;
  /** A self stake at or above the subnet's minimum. */
  stake: bigint;
  /**
   * Mines until a write sent now is included in block `block` or later (nothing when it already
   * would be). On anvil (one block per transaction) that is a head of `block − 1`; in memory,
   * where writes land in the head block, a head of `block`.
   */
  reach(block: number): Promise<void>;
  /** Frees what the factory started. */
  close(): Promise<void>;
};

/**
 * The conformance suite of {@link SubnetChain}: declares, inside a `describe`, the tests every
 * implementation must pass, run over a subnet `create()` makes (once, for the whole suite; the
 * tests run in order on it). The timing must have at least 5 blocks per window, a grace of at
 * least 1 block, and at least 2 windows per epoch.
 *
 * Where it runs:
 * - the EVM backend on anvil (`evm/createEvmChain.conformance.chain.test.ts`, chain project);
 * - the in-memory chain of `@tessera/core/testing` (`testing/createMemoryChain.test.ts`, unit);
 * - not the subtensor backend. The only Substrate runtime the tests have offline (Rococo Asset
 *   Hub's, in Chopsticks: see `subtensor/subtensor.chain.test.ts`) has no SubtensorModule and no
 *   commitments pallet, and `createSubtensorChain` refuses such a runtime (`unsupported-runtime`)
 *   before it returns a chain, so not one test of this suite can run there: there is no
 *   registration, metagraph, commitment or weight storage to run it on. Faking a subtensor
 *   runtime would test the fake. Run it against a subtensor localnet (a `node-subtensor` binary
 *   or its Docker image, with a subnet created) when one is available.
 *
 * @example
 * describeSubnetChain({ name: 'in memory', create: async () => memoryHarness() });
 */
export function describeSubnetChain(parameters: {
  name: string;
  create: () => Promise<SubnetChainHarness>;
}): void {
  describe(`SubnetChain conformance: ${parameters.name}`, () => {
    let h: SubnetChainHarness;
    let timing: SubnetTiming;
    const uids = { miner0: -1, miner1: -1, validator0: -1, validator1: -1 };
    const start = (window: number) => startBlockOfWindow({ window, ...timing });
    const deadline = (window: number) => deadlineOfWindow({ window, ...timing });
    const epochStart = (epoch: number) => startBlockOfEpoch({ epoch, ...timing });
    /** A window no write has reached yet: the next one after the head's. */
    const freshWindow = async () => {
      const head = await h.miners[0].blockNumber();
      const window = head < timing.startBlock ? 0 : windowOfBlock({ block: head, ...timing }) + 1;
      await h.reach(start(window));
      return window;
    };
    const freshEpoch = async () => {
      const head = await h.miners[0].blockNumber();
      const epoch =
        head < timing.startBlock
          ? 0
          : epochOfWindow({ window: windowOfBlock({ block: head, ...timing }), ...timing }) + 1;
      await h.reach(epochStart(epoch));
      return epoch;
    };

    beforeAll(async () => {
      h = await parameters.create();
      timing = await h.miners[0].timing();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('names its subnet and reads its timing', async () => {
      const { subnetId, kind } = h.miners[0];
      expect(subnetId.startsWith(`${kind}:`)).toBe(true);
      expect(h.validators[1].subnetId).toBe(subnetId);
      for (const value of [timing.blocksPerWindow, timing.windowsPerEpoch, timing.deadlineGraceBlocks])
        expect(Number.isSafeInteger(value) && value > 0).toBe(true);
      expect(Number.isSafeInteger(timing.startBlock) && timing.startBlock >= 0).toBe(true);
      expect(await h.validators[0].timing()).toEqual(timing);
    });

    it('keeps a block clock: the head moves forward, known blocks have hashes, waits resolve or abort', async () => {
      const head = await h.miners[0].blockNumber();
      await h.reach(head + 3);
      const later = await h.miners[0].blockNumber();
      expect(later).toBeGreaterThanOrEqual(head + 2);
      expect(await h.miners[0].blockHash(later)).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await h.miners[0].blockHash(later)).toBe(await h.miners[1].blockHash(later));
      expect(await reasonOf(h.miners[0].blockHash(later + 1_000))).toBe('not-found');
      expect(await reasonOf(h.miners[0].blockHash(-1))).toBe('invalid-parameter');
      expect(await h.miners[0].waitForBlock({ block: later, pollMs: 5 })).toBeGreaterThanOrEqual(later);
      const controller = new AbortController();
      const waiting = h.miners[0].waitForBlock({
        block: later + 1_000,
        signal: controller.signal,
        pollMs: 5,
      });
      controller.abort();
      const error = await rejectionOf(waiting);
      expect(isChainError(error) && error.reason === 'aborted' && error.retryable).toBe(true);
    });

    it('registers miners and validators once, with a uid; the metagraph shows them', async () => {
      expect(await h.miners[0].uidOf()).toBeUndefined();
      const first = await h.miners[0].registerMiner();
      expect(first).toMatchObject({ status: 'registered', uid: expect.any(Number) });
      uids.miner0 = first.uid;
      expect(await h.miners[0].registerMiner()).toEqual({ status: 'already-registered', uid: uids.miner0 });
      uids.miner1 = (await h.miners[1].registerMiner()).uid;
      expect(await reasonOf(h.validators[0].registerValidator({ stake: 0n }))).toBe('invalid-parameter');
      const v0 = await h.validators[0].registerValidator({ stake: h.stake });
      expect(v0.status).toBe('registered');
      uids.validator0 = v0.uid;
      uids.validator1 = (await h.validators[1].registerValidator({ stake: h.stake * 2n })).uid;
      expect(await h.validators[0].registerValidator({ stake: h.stake })).toEqual({
        status: 'already-registered',
        uid: uids.validator0,
      });
      expect(await h.validators[0].registerMiner()).toEqual({
        status: 'already-registered',
        uid: uids.validator0,
      });
      expect(new Set(Object.values(uids)).size).toBe(4);
      expect(await h.outsider.uidOf(h.miners[1].address)).toBe(uids.miner1);
      expect(await h.outsider.uidOf()).toBeUndefined();

      const { neurons, block } = await h.outsider.metagraph();
      expect(block).toBeGreaterThan(0);
      const byUid = new Map(neurons.map((n) => [n.uid, n]));
      expect(byUid.get(uids.miner0)).toMatchObject({ hotkey: h.miners[0].address, isValidator: false });
      expect(byUid.get(uids.validator0)).toMatchObject({
        hotkey: h.validators[0].address,
        isValidator: true,
        stake: h.stake,
        validatorPermit: true,
      });
      expect(byUid.get(uids.validator1)).toMatchObject({ isValidator: true, stake: h.stake * 2n });
    });

    it('accepts one commitment per miner and window, from the window start until its deadline', async () => {
      const window = await freshWindow();
      const digest = hashOf('update 0');
      const modelHash = hashOf('theta');
      const early = h.miners[0].commit({ window: window + 1, digest, uri: 'mem://u/0', modelHash });
      expect(await reasonOf(early)).toBe('rejected');
      const outcome = await h.miners[0].commit({ window, digest, uri: 'mem://u/0', modelHash });
      expect(outcome).toMatchObject({ status: 'committed', receipt: { block: expect.any(Number) } });
      if (outcome.status === 'committed') expect(outcome.receipt.block).toBeGreaterThanOrEqual(start(window));
      expect(
        await h.miners[0].commit({ window, digest: hashOf('other'), uri: 'mem://u/x', modelHash }),
      ).toEqual({ status: 'already-committed' });
      const commitments = await h.outsider.commitments({ window });
      expect(commitments).toEqual([
        expect.objectContaining({
          uid: uids.miner0,
          hotkey: h.miners[0].address,
          window,
          digest,
          modelHash,
          uri: 'mem://u/0',
        }),
      ]);

      await h.reach(deadline(window));
      const late = h.miners[1].commit({ window, digest, uri: 'mem://u/1', modelHash });
      expect(await reasonOf(late)).toBe('rejected');
      expect((await h.outsider.commitments({ window })).map((c) => c.uid)).toEqual([uids.miner0]);
    });

    it('rejects bad commitment input with invalid-parameter, and writes from unregistered accounts', async () => {
      const window = await freshWindow();
      const good = { window, digest: hashOf('d'), uri: 'mem://u', modelHash: hashOf('m') };
      for (const bad of [
        { ...good, window: -1 },
        { ...good, digest: '0x1234' as Hex32 },
        { ...good, modelHash: 'nope' as Hex32 },
        { ...good, uri: '' },
        { ...good, uri: 'x'.repeat(10_000) },
      ])
        expect(await reasonOf(h.miners[1].commit(bad))).toBe('invalid-parameter');
      expect(await reasonOf(h.outsider.commit(good))).toBe('not-registered');
      expect(await reasonOf(h.outsider.commitments({ window: -1 }))).toBe('invalid-parameter');
    });

    it('publishes one aggregate per validator and window from the deadline on; the lead is the highest stake', async () => {
      const window = await freshWindow();
      const modelHash = hashOf('theta');
      await h.miners[0].commit({ window, digest: hashOf('a'), uri: 'mem://a', modelHash });
      await h.miners[1].commit({ window, digest: hashOf('b'), uri: 'mem://b', modelHash });
      const set = [uids.miner1, uids.miner0];
      const aggregate = {
        window,
        uids: set,
        modelHash: hashOf('next'),
        normBound: Math.fround(1.5),
        uri: 'mem://agg',
      };
      expect(await reasonOf(h.validators[0].publishAggregate(aggregate))).toBe('rejected');
      expect(await h.outsider.aggregate({ window })).toBeUndefined();

      await h.reach(deadline(window));
      expect(await reasonOf(h.miners[0].publishAggregate(aggregate))).toBe('rejected');
      for (const normBound of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 0.1])
        expect(await reasonOf(h.validators[0].publishAggregate({ ...aggregate, normBound }))).toBe(
          'invalid-parameter',
        );
      expect(
        await reasonOf(h.validators[0].publishAggregate({ ...aggregate, uids: [uids.miner0, uids.miner0] })),
      ).toBe('invalid-parameter');
      expect(
        await reasonOf(h.validators[0].publishAggregate({ ...aggregate, uids: [uids.validator1] })),
      ).toBe('rejected');
      const published = await h.validators[0].publishAggregate(aggregate);
      expect(published).toMatchObject({ status: 'published', receipt: { block: expect.any(Number) } });
      expect(await h.validators[0].publishAggregate({ ...aggregate, modelHash: hashOf('again') })).toEqual({
        status: 'already-published',
      });
      expect(await h.outsider.aggregate({ window })).toMatchObject({
        window,
        uids: [...set].sort((a, b) => a - b),
        modelHash: aggregate.modelHash,
        normBound: aggregate.normBound,
        uri: 'mem://agg',
        validator: h.validators[0].address,
      });

      // The second validator holds twice the stake: its aggregate leads, whenever it landed.
      await h.validators[1].publishAggregate({
        ...aggregate,
        uids: [uids.miner0],
        modelHash: hashOf('lead'),
      });
      expect(await h.outsider.aggregate({ window })).toMatchObject({
        uids: [uids.miner0],
        modelHash: hashOf('lead'),
        validator: h.validators[1].address,
      });
    });

    it('ignores an aggregate included after window + 2 started', async () => {
      const window = await freshWindow();
      const modelHash = hashOf('theta');
      await h.miners[0].commit({ window, digest: hashOf('c'), uri: 'mem://c', modelHash });
      await h.reach(deadline(window));
      await h.validators[0].publishAggregate({
        window,
        uids: [uids.miner0],
        modelHash: hashOf('on time'),
        normBound: 1,
        uri: '',
      });
      await h.reach(start(window + 2));
      await h.validators[1].publishAggregate({
        window,
        uids: [],
        modelHash: hashOf('too late'),
        normBound: 1,
        uri: '',
      });
      expect(await h.outsider.aggregate({ window })).toMatchObject({
        modelHash: hashOf('on time'),
        validator: h.validators[0].address,
      });
    });

    it('publishes checkpoints of started windows; the latest is the highest window', async () => {
      const window = await freshWindow();
      const checkpoint = { window, modelHash: hashOf('ckpt'), uri: 'mem://ckpt' };
      expect(await reasonOf(h.validators[0].publishCheckpoint({ ...checkpoint, window: window + 5 }))).toBe(
        'rejected',
      );
      expect(await reasonOf(h.miners[0].publishCheckpoint(checkpoint))).toBe('rejected');
      expect(await reasonOf(h.validators[0].publishCheckpoint({ ...checkpoint, uri: '' }))).toBe(
        'invalid-parameter',
      );
      expect(await h.validators[0].publishCheckpoint(checkpoint)).toMatchObject({ status: 'published' });
      await h.validators[1].publishCheckpoint({
        ...checkpoint,
        window: window - 1,
        modelHash: hashOf('older'),
      });
      expect(await h.outsider.latestCheckpoint()).toMatchObject({
        ...checkpoint,
        validator: h.validators[0].address,
      });
    });

    it('commits weights in an epoch and reveals them in the next; bad weights are rejected', async () => {
      const epoch = await freshEpoch();
      for (const bad of [
        { uids: [uids.miner0], weights: [-1] },
        { uids: [uids.miner0], weights: [0] },
        { uids: [uids.miner0, uids.miner1], weights: [1] },
        { uids: [uids.miner0, uids.miner0], weights: [1, 1] },
      ])
        expect(await reasonOf(h.validators[0].setWeights(bad))).toBe('invalid-parameter');
      expect(await reasonOf(h.miners[0].setWeights({ uids: [uids.miner1], weights: [1] }))).toBe('rejected');

      const receipt = await h.validators[0].setWeights({ uids: [uids.miner1, uids.miner0], weights: [3, 1] });
      expect(receipt.block).toBeGreaterThanOrEqual(epochStart(epoch));
      expect(await h.outsider.revealedWeights({ epoch })).toEqual([]);

      await h.reach(epochStart(epoch + 1));
      await h.validators[0].revealPendingWeights();
      const rows = await h.outsider.revealedWeights({ epoch });
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row).toMatchObject({ validatorUid: uids.validator0, validator: h.validators[0].address });
      const expected = new Map([
        [uids.miner0, 0.25],
        [uids.miner1, 0.75],
      ]);
      expect(row!.uids).toEqual([...expected.keys()].sort((a, b) => a - b));
      row!.uids.forEach((uid, i) => expect(row!.weights[i]).toBeCloseTo(expected.get(uid)!, 4));
      expect(await reasonOf(h.outsider.revealedWeights({ epoch: -1 }))).toBe('invalid-parameter');
    });

    it('settles an epoch once, from the first block of epoch + 2', async () => {
      const epoch = await freshEpoch();
      const opensAt = epochStart(epoch + 2);
      const early = await h.validators[0].settleEpoch({ epoch });
      if (early.status !== 'settled-by-chain') {
        expect(early).toEqual({ status: 'not-open', opensAt });
        await h.reach(opensAt);
        expect(await h.outsider.settleEpoch({ epoch })).toMatchObject({ status: 'settled' });
        expect(await h.validators[0].settleEpoch({ epoch })).toEqual({ status: 'already-settled' });
        expect(await h.validators[0].settleEpoch({ epoch: epoch - 1 })).toEqual({
          status: 'already-settled',
        });
      }
      expect(await reasonOf(h.outsider.settleEpoch({ epoch: -1 }))).toBe('invalid-parameter');
    });

    it('reports rewards as bigints, and refuses a claim with nothing to claim', async () => {
      const rewards = await h.outsider.rewards();
      expect(rewards).toEqual({ claimable: 0n, claimed: 0n });
      const miner = await h.outsider.rewards({ address: h.miners[0].address });
      expect(typeof miner.claimable === 'bigint' && miner.claimable >= 0n).toBe(true);
      expect(typeof miner.claimed === 'bigint' && miner.claimed >= 0n).toBe(true);
      expect(await reasonOf(h.outsider.claim())).toBe('rejected');
      expect(await reasonOf(h.outsider.rewards({ address: 'nope' as Hex32 }))).toBe('invalid-parameter');
    });
  });
}

function hashOf(text: string): Hex32 {
  return `0x${bytesToHex(keccak_256(new TextEncoder().encode(text)))}`;
}
