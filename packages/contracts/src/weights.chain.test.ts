import type { JsonRpcSigner } from 'ethers';
import { hexlify, randomBytes } from 'ethers';
import { abi as subnetAbi } from './generated/Subnet.js';
import {
  TOKEN,
  commitWeights,
  eventsOf,
  expectRevert,
  mined,
  plain,
  revealWeights,
  useChain,
  weightsHash,
} from './_test/fixtures.js';

const RATE_LIMIT = 4;
const LOCK = 2;

let miners: JsonRpcSigner[];
let validators: JsonRpcSigner[];

const chain = useChain({
  params: {
    maxUids: 40,
    maxValidators: 3,
    maxValidatorPermits: 2,
    weightsRateLimit: RATE_LIMIT,
    stakeLockBlocks: LOCK,
    minValidatorStake: 100n * TOKEN,
  },
});
beforeAll(async () => {
  // uids 0..1 validators, 2..19 miners (rows span two words), 20 a validator without a permit
  validators = [];
  for (const stake of [300n, 200n]) {
    const v = await chain.account();
    await chain.fundTokens(v, stake * TOKEN);
    await mined(chain.subnetAs(v).registerValidator(stake * TOKEN));
    validators.push(v);
  }
  miners = [];
  for (let i = 0; i < 18; i++) {
    const miner = await chain.account();
    await mined(chain.subnetAs(miner).registerMiner({ value: chain.deployment.params.registrationBurn }));
    miners.push(miner);
  }
  const third = await chain.account();
  await chain.fundTokens(third, 600n * TOKEN);
  await mined(chain.subnetAs(third).registerValidator(100n * TOKEN));
  validators.push(third);
});

const commit = (signer: JsonRpcSigner, uids: number[], weights: number[], salt?: string) =>
  commitWeights({ subnet: chain.subnet, signer, uids, weights, salt });
const endOf = async (epoch: bigint) => Number(await chain.subnet.epochEndBlock(epoch));

describe('commitWeights', () => {
  it('commits a hash for the current epoch with the stake it will count with; a later commit replaces it', async () => {
    const first = await commit(validators[0]!, [2, 3], [1, 2]);
    const firstHash = weightsHash({ validator: validators[0]!.address, ...first });
    expect(eventsOf(first.receipt, 'WeightsCommitted')).toEqual([
      {
        epoch: first.epoch,
        validatorUid: 0n,
        hotkey: validators[0]!.address,
        hash: firstHash,
        stake: 300n * TOKEN,
      },
    ]);
    const registration = (await chain.subnet.neuron(0)).registrationBlock;
    expect(plain(await chain.subnet.weightCommit(first.epoch, 0))).toEqual({
      hash: firstHash,
      hotkey: validators[0]!.address,
      stake: 300n * TOKEN,
      registrationBlock: registration,
      commitBlock: BigInt(first.receipt.blockNumber),
      revealBlock: 0n,
    });

    // more stake, then a new commit in the same epoch: it replaces the hash and the snapshot
    const delegator = await chain.account();
    await chain.fundTokens(delegator, 50n * TOKEN);
    await mined(chain.subnetAs(delegator).stake(0, 50n * TOKEN));
    await chain.anvil.mine(RATE_LIMIT);
    const second = await commit(validators[0]!, [4], [9]);
    expect(second.epoch).toBe(first.epoch);
    expect(plain(await chain.subnet.weightCommit(first.epoch, 0))).toMatchObject({
      hash: weightsHash({ validator: validators[0]!.address, ...second }),
      stake: 350n * TOKEN,
      commitBlock: BigInt(second.receipt.blockNumber),
    });

    await chain.mineUntil(await endOf(first.epoch));
    await expectRevert(
      chain.subnetAs(validators[0]!).revealWeights(first.epoch, first.uids, first.weights, first.salt),
      'Subnet__RevealMismatch',
      [first.epoch, weightsHash({ validator: validators[0]!.address, ...second }), firstHash],
    );
    await revealWeights(chain.subnet, second);
  });

  it('is rate limited per validator', async () => {
    const { receipt } = await commit(validators[0]!, [2], [1]);
    const next = BigInt(receipt.blockNumber + RATE_LIMIT);
    await expectRevert(
      chain.subnetAs(validators[0]!).commitWeights(hexlify(randomBytes(32))),
      'Subnet__WeightsRateLimited',
      [next],
    );
    await commit(validators[1]!, [2], [1]);
    await chain.mineUntil(Number(next));
    await commit(validators[0]!, [2], [2]);
  });

  it('is refused to strangers, miners and validators without a permit', async () => {
    const hash = hexlify(randomBytes(32));
    const stranger = await chain.account();
    await expectRevert(chain.subnetAs(stranger).commitWeights(hash), 'Subnet__NotRegistered', [
      stranger.address,
    ]);
    await expectRevert(chain.subnetAs(miners[0]!).commitWeights(hash), 'Subnet__NotValidator', [2n]);
    await expectRevert(chain.subnetAs(validators[2]!).commitWeights(hash), 'Subnet__NoValidatorPermit', [
      20n,
    ]);
  });

  it('leaves no way to set weights in the open', () => {
    const functions = subnetAbi.flatMap((entry) => (entry.type === 'function' ? [entry.name] : []));
    expect(functions).toEqual(expect.arrayContaining(['commitWeights', 'revealWeights']));
    expect(functions.filter((name) => /weights/i.test(name)).sort()).toEqual([
      'commitWeights',
      'revealWeights',
      'revealedWeights',
    ]);
  });
});

describe('revealWeights', () => {
  it('is accepted during the next epoch only', async () => {
    const a = await commit(validators[0]!, [2], [1]);
    const b = await commit(validators[1]!, [3], [1]);
    const opens = await endOf(a.epoch);
    const closes = await endOf(a.epoch + 1n);
    await expectRevert(
      chain.subnetAs(validators[0]!).revealWeights(a.epoch, a.uids, a.weights, a.salt),
      'Subnet__RevealTooEarly',
      [a.epoch, BigInt(opens)],
    );
    await chain.mineUntil(opens - 1);
    await expectRevert(
      chain.subnetAs(validators[0]!).revealWeights(a.epoch, a.uids, a.weights, a.salt),
      'Subnet__RevealTooEarly',
      [a.epoch, BigInt(opens)],
    );
    await chain.mineUntil(closes - 1);
    const receipt = await revealWeights(chain.subnet, a); // the last block of epoch + 1
    expect(receipt.blockNumber).toBe(closes - 1);
    await expectRevert(
      chain.subnetAs(validators[1]!).revealWeights(b.epoch, b.uids, b.weights, b.salt),
      'Subnet__RevealTooLate',
      [b.epoch, BigInt(closes)],
    );
  });

  it('needs the commit of the same registration, matching exactly, once', async () => {
    const a = await commit(validators[0]!, [2, 5], [7, 3]);
    await chain.mineUntil(await endOf(a.epoch));
    const as0 = chain.subnetAs(validators[0]!);
    const committed = weightsHash({ validator: validators[0]!.address, ...a });
    const mismatch = (change: Partial<typeof a>) =>
      expectRevert(
        as0.revealWeights(a.epoch, change.uids ?? a.uids, change.weights ?? a.weights, change.salt ?? a.salt),
        'Subnet__RevealMismatch',
        [a.epoch, committed, weightsHash({ validator: validators[0]!.address, ...a, ...change })],
      );
    await mismatch({ salt: hexlify(randomBytes(32)) });
    await mismatch({ weights: [7, 4] });
    await mismatch({ uids: [5, 2] });
    // another validator cannot reveal it: the hash binds the validator, and it has no commit
    await expectRevert(
      chain.subnetAs(validators[1]!).revealWeights(a.epoch, a.uids, a.weights, a.salt),
      'Subnet__NoWeightsCommit',
      [a.epoch, 1n],
    );
    // nothing was committed for the epoch before
    if (a.epoch > 0n)
      await expectRevert(
        as0.revealWeights(a.epoch - 1n, a.uids, a.weights, a.salt),
        'Subnet__NoWeightsCommit',
        [a.epoch - 1n, 0n],
      );
    const stranger = await chain.account();
    await expectRevert(
      chain.subnetAs(stranger).revealWeights(a.epoch, a.uids, a.weights, a.salt),
      'Subnet__NotRegistered',
      [stranger.address],
    );
    await revealWeights(chain.subnet, a);
    await expectRevert(
      as0.revealWeights(a.epoch, a.uids, a.weights, a.salt),
      'Subnet__WeightsAlreadyRevealed',
      [a.epoch, 0n],
    );
  });

  it('stores the revealed weights for the epoch and emits them as committed', async () => {
    const a = await commit(validators[0]!, [19, 2, 17, 5], [7, 65_535, 1, 0]);
    const b = await commit(validators[1]!, [3], [5]);
    await chain.mineUntil(await endOf(a.epoch));
    const receipt = await revealWeights(chain.subnet, a);
    expect(eventsOf(receipt, 'WeightsRevealed')).toEqual([
      {
        epoch: a.epoch,
        validatorUid: 0n,
        hotkey: validators[0]!.address,
        uids: [19n, 2n, 17n, 5n],
        weights: [7n, 65_535n, 1n, 0n],
      },
    ]);
    const later = await revealWeights(chain.subnet, b);
    const revealed = (await chain.subnet.revealedWeights(a.epoch)).map(plain);
    expect(revealed).toEqual([
      {
        uid: 0n,
        hotkey: validators[0]!.address,
        stake: 300n * TOKEN,
        registrationBlock: (await chain.subnet.neuron(0)).registrationBlock,
        commitBlock: BigInt(a.receipt.blockNumber),
        revealBlock: BigInt(receipt.blockNumber),
        uids: [2n, 17n, 19n],
        weights: [65_535n, 1n, 7n],
      },
      expect.objectContaining({ uid: 1n, uids: [3n], weights: [5n], revealBlock: BigInt(later.blockNumber) }),
    ]);
    expect((await chain.subnet.weightCommit(a.epoch, 0)).revealBlock).toBe(BigInt(receipt.blockNumber));
    // nothing carries over: the next epoch has no reveals yet
    expect(await chain.subnet.revealedWeights(a.epoch + 1n)).toEqual([]);
  });

  it('checks the revealed vectors: equal lengths, uids below uidCount, no duplicates', async () => {
    const tooMany = Array.from({ length: 22 }, (_, i) => i);
    const cases: [number[], number[], string, bigint[]][] = [
      [[2, 3], [1], 'Subnet__LengthMismatch', [2n, 1n]],
      [tooMany, tooMany, 'Subnet__TooManyUids', [22n, 21n]],
      [[2, 18, 2], [1, 1, 1], 'Subnet__DuplicateUid', [2n]],
      [[2, 21], [1, 1], 'Subnet__UidNotRegistered', [21n]],
    ];
    for (const [uids, weights, error, args] of cases) {
      const before = await chain.snapshot();
      const pending = await commit(validators[0]!, uids, weights);
      await chain.mineUntil(await endOf(pending.epoch));
      await expectRevert(
        chain.subnetAs(validators[0]!).revealWeights(pending.epoch, uids, weights, pending.salt),
        error,
        args,
      );
      await chain.revert(before);
    }
  });

  it('needs no permit any more, but the registration that committed', async () => {
    const a = await commit(validators[1]!, [2], [1]);
    // uid 20 overtakes uid 1: uid 1 loses its permit, yet reveals what it committed with one
    await mined(chain.subnetAs(validators[2]!).stake(20, 500n * TOKEN));
    expect(await chain.subnet.hasValidatorPermit(1)).toBe(false);
    await chain.mineUntil(await endOf(a.epoch));
    await revealWeights(chain.subnet, a);

    // uid 0 commits, leaves (its uid is freed) and registers again at the same uid: a new
    // registration cannot reveal the old one's commit
    await chain.anvil.mine(RATE_LIMIT);
    const b = await commit(validators[0]!, [3], [1]);
    await chain.anvil.mine(LOCK);
    await mined(chain.subnetAs(validators[0]!).unstake(0, 300n * TOKEN));
    await mined(chain.subnetAs(validators[0]!).registerValidator(300n * TOKEN));
    expect((await chain.subnet.uidOf(validators[0]!.address)).uid).toBe(0n);
    await chain.mineUntil(await endOf(b.epoch));
    await expectRevert(
      chain.subnetAs(validators[0]!).revealWeights(b.epoch, b.uids, b.weights, b.salt),
      'Subnet__NoWeightsCommit',
      [b.epoch, 0n],
    );
  });
});
