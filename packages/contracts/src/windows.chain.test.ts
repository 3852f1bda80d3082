import { keccak256, toUtf8Bytes } from 'ethers';
import type { JsonRpcSigner } from 'ethers';
import { TOKEN, eventsOf, expectRevert, mined, plain, useChain } from './_test/fixtures.js';

const BLOCKS_PER_WINDOW = 10;
const GRACE = 3;
const MAX_URI = 40;

let miners: JsonRpcSigner[];
let validators: JsonRpcSigner[];
let start: number;

const digest = (text: string) => keccak256(toUtf8Bytes(text));
const MODEL = digest('model');

const chain = useChain({
  params: {
    startBlock: 1,
    blocksPerWindow: BLOCKS_PER_WINDOW,
    deadlineGraceBlocks: GRACE,
    maxUriLength: MAX_URI,
    maxUids: 8,
    maxValidators: 3,
    maxValidatorPermits: 2,
    minValidatorStake: 100n * TOKEN,
  },
});
beforeAll(async () => {
  start = chain.deployment.params.startBlock;
  miners = [];
  for (let i = 0; i < 3; i++) {
    const miner = await chain.account();
    await mined(chain.subnetAs(miner).registerMiner({ value: chain.deployment.params.registrationBurn }));
    miners.push(miner);
  }
  validators = [];
  for (const stake of [300n, 200n, 100n]) {
    const v = await chain.account();
    await chain.fundTokens(v, stake * TOKEN);
    await mined(chain.subnetAs(v).registerValidator(stake * TOKEN));
    validators.push(v);
  }
});

/** Mines until the next transaction lands in window `window`, `offset` blocks after its start. */
async function enterWindow(window: number, offset = 0) {
  await chain.mineUntil(start + window * BLOCKS_PER_WINDOW + offset);
}

/** IEEE-754 float32 bits of `value`. */
function float32Bits(value: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, value);
  return view.getUint32(0);
}

/** The clipping norm published with every aggregate here: 1.5 as float32 bits. */
const NORM = float32Bits(1.5);

describe('time', () => {
  it('maps blocks to windows, deadlines and epochs as the protocol defines', async () => {
    expect(start).toBe(1);
    expect(await chain.subnet.windowOf(1)).toBe(0n);
    expect(await chain.subnet.windowOf(10)).toBe(0n);
    expect(await chain.subnet.windowOf(11)).toBe(1n);
    expect(await chain.subnet.windowStartBlock(3)).toBe(31n);
    expect(await chain.subnet.deadline(3)).toBe(BigInt(1 + 4 * BLOCKS_PER_WINDOW + GRACE));
    expect(await chain.subnet.epochStartBlock(1)).toBe(BigInt(1 + 5 * BLOCKS_PER_WINDOW));
    expect(await chain.subnet.epochEndBlock(1)).toBe(BigInt(1 + 10 * BLOCKS_PER_WINDOW));
    await expectRevert(chain.subnet.windowOf(0), 'Subnet__NotStarted', [1n]);
  });
});

describe('commit', () => {
  it('stores one commitment per miner and window, readable in one call', async () => {
    await enterWindow(2);
    const receipt = await mined(chain.subnetAs(miners[1]!).commit(2, digest('a'), 'file:///a', MODEL));
    expect(eventsOf(receipt, 'Committed')).toEqual([
      {
        window: 2n,
        uid: 1n,
        hotkey: miners[1]!.address,
        digest: digest('a'),
        modelHash: MODEL,
        uri: 'file:///a',
      },
    ]);
    const second = await mined(chain.subnetAs(miners[0]!).commit(2, digest('b'), 'file:///b', MODEL));
    const list = (await chain.subnet.getCommitments(2)).map(plain);
    expect(list).toEqual([
      {
        uid: 1n,
        hotkey: miners[1]!.address,
        digest: digest('a'),
        modelHash: MODEL,
        uri: 'file:///a',
        blockNumber: BigInt(receipt.blockNumber),
      },
      {
        uid: 0n,
        hotkey: miners[0]!.address,
        digest: digest('b'),
        modelHash: MODEL,
        uri: 'file:///b',
        blockNumber: BigInt(second.blockNumber),
      },
    ]);
    const [found, one] = await chain.subnet.getCommitment(2, 1);
    expect(found).toBe(true);
    expect(plain(one)).toEqual(list[0]);
    expect((await chain.subnet.getCommitment(2, 2))[0]).toBe(false);
    expect(await chain.subnet.getCommitments(3)).toEqual([]);
    await expectRevert(
      chain.subnetAs(miners[1]!).commit(2, digest('c'), 'file:///c', MODEL),
      'Subnet__AlreadyCommitted',
      [2n, 1n],
    );
  });

  it('accepts a commitment until the grace ends and refuses it from the deadline on', async () => {
    const deadline = start + 2 * BLOCKS_PER_WINDOW + GRACE; // deadline(1)
    await chain.mineUntil(deadline - 1);
    await mined(chain.subnetAs(miners[0]!).commit(1, digest('a'), 'u', MODEL));
    await expectRevert(chain.subnetAs(miners[1]!).commit(1, digest('b'), 'u', MODEL), 'Subnet__LateCommit', [
      1n,
      BigInt(deadline),
    ]);
  });

  it('refuses commitments for windows that have not started', async () => {
    await enterWindow(1);
    const opens = BigInt(start + 2 * BLOCKS_PER_WINDOW);
    await expectRevert(
      chain.subnetAs(miners[0]!).commit(2, digest('a'), 'u', MODEL),
      'Subnet__WindowNotStarted',
      [2n, opens],
    );
  });

  it('refuses an empty or over-long uri', async () => {
    await enterWindow(2);
    const commit = (uri: string) => chain.subnetAs(miners[0]!).commit(2, digest('a'), uri, MODEL);
    await expectRevert(commit(''), 'Subnet__BadUriLength', [0n, BigInt(MAX_URI)]);
    await expectRevert(commit('x'.repeat(MAX_URI + 1)), 'Subnet__BadUriLength', [
      BigInt(MAX_URI + 1),
      BigInt(MAX_URI),
    ]);
    await mined(commit('x'.repeat(MAX_URI)));
  });

  it('accepts commitments from registered miners only', async () => {
    const stranger = await chain.account();
    await expectRevert(chain.subnetAs(stranger).commit(2, digest('a'), 'u', MODEL), 'Subnet__NotRegistered', [
      stranger.address,
    ]);
    await expectRevert(
      chain.subnetAs(validators[0]!).commit(2, digest('a'), 'u', MODEL),
      'Subnet__NotMiner',
      [3n],
    );
  });
});

describe('publishAggregate', () => {
  async function commitAll(window: number) {
    await enterWindow(window);
    for (const [i, miner] of miners.entries())
      await mined(chain.subnetAs(miner).commit(window, digest(`u${i}`), `u${i}`, MODEL));
    await chain.mineUntil(Number(await chain.subnet.deadline(window)));
  }

  it('is accepted from the deadline on, once per validator; readers follow the largest stake', async () => {
    await enterWindow(1);
    for (const [i, miner] of miners.entries())
      await mined(chain.subnetAs(miner).commit(1, digest(`u${i}`), `u${i}`, MODEL));
    const deadline = await chain.subnet.deadline(1);
    await chain.mineUntil(Number(deadline) - 1);
    await expectRevert(
      chain.subnetAs(validators[1]!).publishAggregate(1, [0], digest('agg'), NORM, ''),
      'Subnet__AggregateTooEarly',
      [1n, deadline],
    );
    await chain.mineUntil(Number(deadline));

    expect((await chain.subnet.getAggregate(1))[0]).toBe(false);
    const first = await mined(
      chain.subnetAs(validators[1]!).publishAggregate(1, [0, 2], digest('agg-b'), NORM, 'file:///agg-b'),
    );
    expect(eventsOf(first, 'AggregatePublished')).toEqual([
      {
        window: 1n,
        validatorUid: 4n,
        validator: validators[1]!.address,
        aggregateHash: digest('agg-b'),
        normBound: BigInt(NORM),
        uids: [0n, 2n],
        uri: 'file:///agg-b',
      },
    ]);
    const [found, aggregate] = await chain.subnet.getAggregate(1);
    expect(found).toBe(true);
    expect(plain(aggregate)).toEqual({
      window: 1n,
      validator: validators[1]!.address,
      validatorUid: 4n,
      aggregateHash: digest('agg-b'),
      normBound: BigInt(NORM),
      uids: [0n, 2n],
      uri: 'file:///agg-b',
      blockNumber: BigInt(first.blockNumber),
    });
    await mined(chain.subnetAs(validators[0]!).publishAggregate(1, [], digest('agg-a'), NORM, ''));
    const [, lead] = await chain.subnet.getAggregate(1);
    expect(lead.validator).toBe(validators[0]!.address);
    expect((await chain.subnet.getAggregates(1)).map((a) => a.validator)).toEqual([
      validators[1]!.address,
      validators[0]!.address,
    ]);
    await expectRevert(
      chain.subnetAs(validators[0]!).publishAggregate(1, [], digest('again'), NORM, ''),
      'Subnet__AlreadyPublished',
      [1n, validators[0]!.address],
    );
  });

  it('needs strictly ascending uids that committed for the window', async () => {
    await commitAll(1);
    const publish = (uids: number[]) =>
      chain.subnetAs(validators[0]!).publishAggregate(1, uids, digest('agg'), NORM, '');
    await expectRevert(publish([0, 0]), 'Subnet__DuplicateUid', [0n]);
    await expectRevert(publish([2, 1]), 'Subnet__UidsNotAscending', [2n, 1n]);
    await expectRevert(publish([0, 3]), 'Subnet__NoCommitment', [1n, 3n]);
    await expectRevert(publish([0, 1, 2, 3, 4, 5, 6, 7, 8]), 'Subnet__TooManyUids', [9n, 8n]);
    await expectRevert(
      chain.subnetAs(validators[0]!).publishAggregate(1, [0], digest('agg'), NORM, 'x'.repeat(MAX_URI + 1)),
      'Subnet__BadUriLength',
      [BigInt(MAX_URI + 1), BigInt(MAX_URI)],
    );
  });

  it('needs the norm bound as the bits of a positive finite float32', async () => {
    await commitAll(1);
    const publish = (bits: number, who = 0) =>
      chain.subnetAs(validators[who]!).publishAggregate(1, [0], digest('agg'), bits, '');
    // zero, negative zero, a negative value, infinity, a NaN
    for (const bits of [0, 0x8000_0000, float32Bits(-1), 0x7f80_0000, 0x7fc0_0000, 0xffff_ffff]) {
      await expectRevert(publish(bits), 'Subnet__BadNormBound', [BigInt(bits)]);
    }
    // the smallest subnormal and the largest finite value are norms
    await mined(publish(1));
    await mined(publish(0x7f7f_ffff, 1));
    const stored = await chain.subnet.getAggregates(1);
    expect(stored.map((a) => a.normBound)).toEqual([1n, 0x7f7f_ffffn]);
  });

  it('is refused to strangers, miners and validators without a permit', async () => {
    await commitAll(1);
    const stranger = await chain.account();
    await expectRevert(
      chain.subnetAs(stranger).publishAggregate(1, [], digest('x'), NORM, ''),
      'Subnet__NotRegistered',
      [stranger.address],
    );
    await expectRevert(
      chain.subnetAs(miners[0]!).publishAggregate(1, [], digest('x'), NORM, ''),
      'Subnet__NotValidator',
      [0n],
    );
    await expectRevert(
      chain.subnetAs(validators[2]!).publishAggregate(1, [], digest('x'), NORM, ''),
      'Subnet__NoValidatorPermit',
      [5n],
    );
  });
});

describe('publishCheckpoint', () => {
  it('keeps the checkpoint of the highest window as the latest', async () => {
    expect((await chain.subnet.latestCheckpoint())[0]).toBe(false);
    await enterWindow(3);
    const receipt = await mined(
      chain.subnetAs(validators[1]!).publishCheckpoint(3, digest('m3'), 'file:///ckpt-3'),
    );
    expect(eventsOf(receipt, 'CheckpointPublished')).toEqual([
      {
        window: 3n,
        validatorUid: 4n,
        validator: validators[1]!.address,
        modelHash: digest('m3'),
        uri: 'file:///ckpt-3',
      },
    ]);
    await mined(chain.subnetAs(validators[0]!).publishCheckpoint(2, digest('m2'), 'file:///ckpt-2'));
    const [found, latest] = await chain.subnet.latestCheckpoint();
    expect(found).toBe(true);
    expect(plain(latest)).toEqual({
      window: 3n,
      validator: validators[1]!.address,
      validatorUid: 4n,
      modelHash: digest('m3'),
      uri: 'file:///ckpt-3',
      blockNumber: BigInt(receipt.blockNumber),
    });
  });

  it('refuses future windows, empty uris and validators without a permit', async () => {
    await enterWindow(1);
    await expectRevert(
      chain.subnetAs(validators[0]!).publishCheckpoint(2, digest('m'), 'u'),
      'Subnet__WindowNotStarted',
      [2n, BigInt(start + 2 * BLOCKS_PER_WINDOW)],
    );
    await expectRevert(
      chain.subnetAs(validators[0]!).publishCheckpoint(1, digest('m'), ''),
      'Subnet__BadUriLength',
      [0n, BigInt(MAX_URI)],
    );
    await expectRevert(
      chain.subnetAs(validators[2]!).publishCheckpoint(1, digest('m'), 'u'),
      'Subnet__NoValidatorPermit',
      [5n],
    );
  });
});
