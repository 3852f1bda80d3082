import type { JsonRpcSigner, TransactionReceipt } from 'ethers';
import { connectSubnet, connectToken } from './connectSubnet.js';
import type { SubnetContract, TokenContract } from './connectSubnet.js';
import { settleEpochReference } from './consensus.js';
import type { EpochSettlement } from './consensus.js';
import { decodeSubnetLogs } from './decodeSubnetLogs.js';
import { readEpochState } from './readEpochState.js';
import { deploySubnet } from './deploySubnet.js';
import {
  TOKEN,
  commitAndReveal,
  commitWeights,
  eventsOf,
  expectRevert,
  mined,
  revealWeights,
  revertOf,
  useChain,
} from './_test/fixtures.js';
import type { PendingWeights } from './_test/fixtures.js';
import { seededRandom } from './_test/seededRandom.js';

const SLOW = 60_000;

const chain = useChain({
  params: {
    blocksPerWindow: 10,
    windowsPerEpoch: 2,
    weightsRateLimit: 2,
    stakeLockBlocks: 2,
    minValidatorStake: 100n * TOKEN,
  },
});

/** Sum of every credit the Subnet holds for someone: claimable balances, uid balances, staking pools. */
async function creditsHeld(subnet: SubnetContract, accounts: readonly string[]): Promise<bigint> {
  let total = 0n;
  for (const account of new Set(accounts)) total += await subnet.claimable(account);
  for (const neuron of await subnet.metagraph()) {
    total += neuron.unclaimed;
    if (neuron.isValidator) total += (await subnet.validatorPool(neuron.uid)).poolOutstanding;
  }
  return total;
}

/** Every minted token is held by the Subnet for someone or was claimed; the Subnet holds stake besides. */
async function expectConservation(subnet: SubnetContract, token: TokenContract, accounts: readonly string[]) {
  const [minted, claimed, staked, balance] = await Promise.all([
    subnet.totalMinted(),
    subnet.totalClaimed(),
    subnet.totalStaked(),
    token.balanceOf(await subnet.getAddress()),
  ]);
  expect(balance).toBe(staked + minted - claimed);
  expect(await creditsHeld(subnet, accounts)).toBe(minted - claimed);
}

/** settleEpoch(epoch) on chain must credit exactly what the TypeScript reference computes. */
async function settleAndCompare(
  subnet: SubnetContract,
  signer: JsonRpcSigner,
  epoch: number,
): Promise<EpochSettlement> {
  const expected = settleEpochReference(await readEpochState({ subnet, epoch }));
  const receipt = await mined(subnet.connect(signer).settleEpoch(epoch));
  const events = decodeSubnetLogs({ logs: receipt.logs });

  const settled = events.filter((e) => e.name === 'EpochSettled');
  expect(settled).toHaveLength(1);
  expect(settled[0]!.args).toEqual({
    epoch: BigInt(epoch),
    minted: expected.minted,
    minerTotal: expected.minerTotal,
    validatorTotal: expected.validatorTotal,
    ownerTotal: expected.ownerTotal,
    activeStake: expected.activeStake,
    activeValidators: BigInt(expected.active.length),
  });
  const miners = events.flatMap((e) => (e.name === 'MinerReward' ? [e.args] : []));
  expect(
    miners.map((m) => ({
      uid: Number(m.uid),
      consensus: m.consensus,
      incentive: m.incentive,
      rank: m.rank,
      amount: m.amount,
    })),
  ).toEqual(expected.miners);
  const validators = events.flatMap((e) => (e.name === 'ValidatorReward' ? [e.args] : []));
  expect(
    validators
      .map((v) => ({
        uid: Number(v.uid),
        hotkey: v.hotkey,
        stake: v.stake,
        revealBlock: Number(v.revealBlock),
        dividends: v.dividends,
        amount: v.amount,
        take: v.take,
        stakersShare: v.stakersShare,
      }))
      .sort((a, b) => a.uid - b.uid),
  ).toEqual(expected.validators.map(({ bonds: _bonds, present: _present, ...rest }) => rest));
  for (const v of expected.validators) {
    if (!v.present) continue;
    const stored = await subnet.bondsOf(v.uid);
    expect(stored.bonds.map(Number)).toEqual(v.bonds);
    expect([stored.stamp, stored.hotkey]).toEqual([BigInt(epoch + 1), v.hotkey]);
  }
  const neurons = await subnet.metagraph();
  for (const m of expected.miners) {
    const neuron = neurons.find((n) => Number(n.uid) === m.uid)!;
    expect([neuron.consensus, neuron.incentive]).toEqual([m.consensus, m.incentive]);
  }
  return expected;
}

/** Registers `count` fresh miners; returns their signers and uids. */
async function registerMiners(count: number): Promise<{ signer: JsonRpcSigner; uid: number }[]> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const signer = await chain.account();
    await mined(chain.subnetAs(signer).registerMiner({ value: chain.deployment.params.registrationBurn }));
    out.push({ signer, uid: Number((await chain.subnet.uidOf(signer.address)).uid) });
  }
  return out;
}

/** Registers a validator with `stake` tokens of self stake. */
async function registerValidator(stake: bigint): Promise<{ signer: JsonRpcSigner; uid: number }> {
  const signer = await chain.account();
  await chain.fundTokens(signer, stake);
  await mined(chain.subnetAs(signer).registerValidator(stake));
  return { signer, uid: Number((await chain.subnet.uidOf(signer.address)).uid) };
}

/** Mines to the first block settleEpoch(epoch) is accepted at. */
async function untilSettlement(epoch: number | bigint) {
  await chain.mineUntil(Number(await chain.subnet.epochEndBlock(BigInt(epoch) + 1n)));
}

/** What settling an epoch paid, by uid and account. */
async function payouts(receipt: TransactionReceipt, accounts: readonly string[]) {
  const events = decodeSubnetLogs({ logs: receipt.logs });
  return {
    events: events.map((e) => ({ name: e.name, args: e.args })),
    pending: await Promise.all(accounts.map((a) => chain.subnet.pendingRewards(a))),
    claimable: await Promise.all(accounts.map((a) => chain.subnet.claimable(a))),
  };
}

describe('settleEpoch', () => {
  it('opens at the first block of epoch + 2, strictly in order, once', async () => {
    const opens = Number(await chain.subnet.epochEndBlock(1));
    const caller = await chain.account();
    await chain.mineUntil(opens - 1);
    await expectRevert(chain.subnetAs(caller).settleEpoch(0), 'Subnet__SettlementTooEarly', [
      0n,
      BigInt(opens),
    ]);
    await untilSettlement(1);
    await expectRevert(chain.subnetAs(caller).settleEpoch(1), 'Subnet__EpochOutOfOrder', [1n, 0n]);
    const receipt = await mined(chain.subnetAs(caller).settleEpoch(0));
    expect(receipt.blockNumber).toBeGreaterThanOrEqual(opens);
    await expectRevert(chain.subnetAs(caller).settleEpoch(0), 'Subnet__EpochAlreadySettled', [0n]);
    expect(await chain.subnet.nextEpoch()).toBe(1n);
  });

  it('mints nothing for an epoch without reveals, and records it: a commit alone is no weights', async () => {
    const [miner] = await registerMiners(1);
    const v = await registerValidator(200n * TOKEN);
    const pending = await commitWeights({
      subnet: chain.subnet,
      signer: v.signer,
      uids: [miner!.uid],
      weights: [1],
    });
    await untilSettlement(pending.epoch);
    for (let e = 0n; e < pending.epoch; e++) await mined(chain.subnetAs(v.signer).settleEpoch(e));
    const receipt = await mined(chain.subnetAs(miner!.signer).settleEpoch(pending.epoch));
    expect(eventsOf(receipt, 'EpochSettled')[0]).toMatchObject({
      minted: 0n,
      ownerTotal: 0n,
      activeValidators: 0n,
    });
    expect(eventsOf(receipt, 'MinerReward')).toHaveLength(1);
    expect(await chain.subnet.totalMinted()).toBe(0n);
    expect((await chain.subnet.epochRecord(pending.epoch)).settledBlock).toBe(BigInt(receipt.blockNumber));
  });

  it('credits miners, validator takes, stakers and the owner; claims pay once', async () => {
    const { subnet, token, deployer } = chain;
    const [m0, m1] = await registerMiners(2);
    const validator = await registerValidator(300n * TOKEN);
    const delegator = await chain.account();
    await chain.fundTokens(delegator, 100n * TOKEN);
    await mined(chain.subnetAs(delegator).stake(validator.uid, 100n * TOKEN));
    const [pending] = await commitAndReveal(
      subnet,
      [{ signer: validator.signer, uids: [m0!.uid, m1!.uid], weights: [3, 1] }],
      chain.mineUntil,
    );
    await untilSettlement(pending!.epoch);
    for (let e = 0n; e < pending!.epoch; e++) await mined(chain.subnetAs(deployer).settleEpoch(e));

    const expected = await settleAndCompare(subnet, m0!.signer, Number(pending!.epoch));
    const emission = chain.deployment.params.emissionPerEpoch;
    expect(expected.minted).toBe(emission);
    expect(expected.miners.map((m) => m.amount)).toEqual([
      (emission * 41n * 3n) / 400n,
      (emission * 41n) / 400n,
    ]);
    const v = expected.validators[0]!;
    expect(v.amount).toBe((emission * 41n) / 100n);
    expect(v.take).toBe((v.amount * 1800n) / 10_000n);

    // the validator's own 300 and the delegator's 100 share the stakers' part 3:1
    expect(await subnet.pendingRewards(delegator.address)).toBe(v.stakersShare / 4n);
    expect(await subnet.pendingRewards(validator.signer.address)).toBe(v.take + (v.stakersShare * 3n) / 4n);
    expect(await subnet.pendingRewards(deployer.address)).toBe(expected.ownerTotal);
    expect(await subnet.pendingRewards(m0!.signer.address)).toBe(expected.miners[0]!.amount);

    const accounts = [validator.signer, delegator, m0!.signer, m1!.signer, deployer];
    await expectConservation(
      subnet,
      token,
      accounts.map((a) => a.address),
    );
    for (const account of accounts) {
      const due = await subnet.pendingRewards(account.address);
      const before = await token.balanceOf(account.address);
      const receipt = await mined(subnet.connect(account).claim());
      expect(eventsOf(receipt, 'Claimed')[0]).toEqual({ account: account.address, amount: due });
      expect(await token.balanceOf(account.address)).toBe(before + due);
      await expectRevert(subnet.connect(account).claim(), 'Subnet__NothingToClaim', [account.address]);
    }
    await expectConservation(
      subnet,
      token,
      accounts.map((a) => a.address),
    );
    // what is left are staking-pool rounding remainders, below a wei per position and epoch
    expect((await subnet.totalMinted()) - (await subnet.totalClaimed())).toBeLessThanOrEqual(2n);
  });

  it('uses only the weights revealed for the epoch: unrevealed commits and earlier epochs count for nothing', async () => {
    const [m0, m1] = await registerMiners(2);
    const a = await registerValidator(300n * TOKEN);
    const b = await registerValidator(300n * TOKEN);
    const mineUntil = chain.mineUntil;
    const revealed = await commitWeights({
      subnet: chain.subnet,
      signer: a.signer,
      uids: [m0!.uid],
      weights: [1],
    });
    await commitWeights({ subnet: chain.subnet, signer: b.signer, uids: [m1!.uid], weights: [1] }); // never revealed
    await mineUntil(Number(await chain.subnet.epochEndBlock(revealed.epoch)));
    await revealWeights(chain.subnet, revealed);
    const epoch = Number(revealed.epoch);
    await untilSettlement(epoch + 1); // settles epoch and epoch + 1 below
    for (let e = 0; e < epoch; e++) await mined(chain.subnetAs(a.signer).settleEpoch(e));
    const first = await settleAndCompare(chain.subnet, a.signer, epoch);
    expect(first.active).toEqual([a.uid]);
    expect(first.miners.map((m) => m.amount)).toEqual([
      (chain.deployment.params.emissionPerEpoch * 41n) / 100n,
      0n,
    ]);
    // a validator that stops committing earns nothing from the next epoch on
    const next = await settleAndCompare(chain.subnet, a.signer, epoch + 1);
    expect(next.revealed).toEqual([]);
    expect(next.minted).toBe(0n);
  });

  it('keeps revealed weights on uids that are not miners out of consensus', async () => {
    const [m0] = await registerMiners(1);
    const a = await registerValidator(300n * TOKEN);
    const b = await registerValidator(200n * TOKEN);
    const [pending] = await commitAndReveal(
      chain.subnet,
      [{ signer: a.signer, uids: [m0!.uid, b.uid], weights: [1, 65_535] }],
      chain.mineUntil,
    );
    await untilSettlement(pending!.epoch);
    for (let e = 0n; e < pending!.epoch; e++) await mined(chain.subnetAs(a.signer).settleEpoch(e));
    const result = await settleAndCompare(chain.subnet, a.signer, Number(pending!.epoch));
    expect(result.miners).toEqual([
      expect.objectContaining({ uid: m0!.uid, consensus: 1_000_000_000n, incentive: 1_000_000_000n }),
    ]);
  });
});

/**
 * Two miners, and two validators — `heavy` with 300 tokens of stake weighting them [1, 1],
 * `light` with 200 weighting them [1, 3] — whose weights of the current epoch are committed
 * and revealed (`pending`).
 */
async function twoValidatorsWeighting() {
  const miners = await registerMiners(2);
  const heavy = await registerValidator(300n * TOKEN);
  const light = await registerValidator(200n * TOKEN);
  const uids = miners.map((m) => m.uid);
  const [pending] = await commitAndReveal(
    chain.subnet,
    [
      { signer: heavy.signer, uids, weights: [1, 1] },
      { signer: light.signer, uids, weights: [1, 3] },
    ],
    chain.mineUntil,
  );
  return { miners, uids, heavy, light, pending: pending! };
}

describe('a validator that stops evaluating', () => {
  it('earns nothing from the next epoch on: weights for epoch 0 and then none, dividends 0 in epochs 1 and 2', async () => {
    // both weight epoch 0 (committed in 0, revealed in 1); only `steady` goes on with 1 and 2
    const { miners, uids, heavy: quitter, light: steady, pending: first } = await twoValidatorsWeighting();
    expect(first.epoch).toBe(0n);
    for (const epoch of [1n, 2n]) {
      const pending = await commitWeights({
        subnet: chain.subnet,
        signer: steady.signer,
        uids,
        weights: [1, 3],
      });
      expect(pending.epoch).toBe(epoch);
      await chain.mineUntil(Number(await chain.subnet.epochEndBlock(epoch)));
      await revealWeights(chain.subnet, pending);
    }
    await untilSettlement(2);

    const emission = chain.deployment.params.emissionPerEpoch;
    const byEpoch = [];
    for (const epoch of [0, 1, 2]) {
      const before = await chain.subnet.pendingRewards(quitter.signer.address);
      const result = await settleAndCompare(chain.subnet, chain.deployer, epoch);
      byEpoch.push({
        epoch,
        active: result.active,
        minted: result.minted,
        rewarded: result.validators.map((v) => v.uid),
        dividends: (await chain.subnet.neuron(quitter.uid)).dividends,
        earned: (await chain.subnet.pendingRewards(quitter.signer.address)) - before,
      });
    }
    expect(byEpoch[0]!.active).toEqual([quitter.uid, steady.uid].sort((a, b) => a - b));
    expect(byEpoch[0]!.dividends).toBeGreaterThan(0n);
    expect(byEpoch[0]!.earned).toBeGreaterThan(0n);
    // its epoch-0 bonds pay nothing once it reveals nothing: the whole validators' pool goes to `steady`
    for (const later of byEpoch.slice(1)) {
      expect(later).toEqual({
        epoch: later.epoch,
        active: [steady.uid],
        minted: emission,
        rewarded: [steady.uid],
        dividends: 0n,
        earned: 0n,
      });
    }
    expect((await chain.subnet.neuron(steady.uid)).dividends).toBe(1_000_000_000n);
    await expectConservation(chain.subnet, chain.token, [
      quitter.signer.address,
      steady.signer.address,
      ...miners.map((m) => m.signer.address),
      chain.deployer.address,
    ]);
  });
});

describe('consensus needs strictly more than kappa of the stake', () => {
  /** Commits and reveals each validator's weights, settles the epoch and returns the consensus by miner. */
  async function consensusOf(
    validators: { stake: bigint; weights: Record<number, number> }[],
    miners: number,
  ): Promise<bigint[]> {
    const registered = await registerMiners(miners);
    const entries = [];
    for (const v of validators) {
      const { signer } = await registerValidator(v.stake);
      const targets = Object.keys(v.weights).map(Number);
      entries.push({
        signer,
        uids: targets.map((m) => registered[m]!.uid),
        weights: targets.map((m) => v.weights[m]!),
      });
    }
    const [pending] = await commitAndReveal(chain.subnet, entries, chain.mineUntil);
    await untilSettlement(pending!.epoch);
    for (let e = 0n; e < pending!.epoch; e++) await mined(chain.subnetAs(chain.deployer).settleEpoch(e));
    const result = await settleAndCompare(chain.subnet, chain.deployer, Number(pending!.epoch));
    return registered.map(({ uid }) => result.miners.find((m) => m.uid === uid)!.consensus);
  }

  it('at 50/50: a weight backed by exactly half the stake is not the consensus', async () => {
    // a: 0.5 on m0, 0.5 on m2; b: 0.25 on m1, 0.75 on m2; equal stakes
    const consensus = await consensusOf(
      [
        { stake: 200n * TOKEN, weights: { 0: 1, 2: 1 } },
        { stake: 200n * TOKEN, weights: { 1: 1, 2: 3 } },
      ],
      3,
    );
    expect(consensus).toEqual([0n, 0n, 500_000_000n]);
  });

  it('at 49.9/50.1: the side with 50.1 % sets it', async () => {
    const consensus = await consensusOf(
      [
        { stake: 499n * TOKEN, weights: { 0: 1 } },
        { stake: 501n * TOKEN, weights: { 1: 1 } },
      ],
      2,
    );
    expect(consensus).toEqual([0n, 1_000_000_000n]);
  });

  it('with three validators, passes over values backed by exactly half', async () => {
    // m0: a gives 1, b 0.5 — a alone holds exactly half; m1: b 0.5, c 1 — b and c exactly half
    const consensus = await consensusOf(
      [
        { stake: 200n * TOKEN, weights: { 0: 1 } },
        { stake: 100n * TOKEN, weights: { 0: 1, 1: 1 } },
        { stake: 100n * TOKEN, weights: { 1: 1 } },
      ],
      2,
    );
    expect(consensus).toEqual([500_000_000n, 0n]);
  });
});

describe('a late settlement pays like a prompt one', () => {
  it('settles the same epoch at two times, with stake changes and new weights in between, to the unit', async () => {
    const miners = await registerMiners(3);
    const a = await registerValidator(300n * TOKEN);
    const b = await registerValidator(200n * TOKEN);
    const delegator = await chain.account();
    await chain.fundTokens(delegator, 1000n * TOKEN);
    await mined(chain.subnetAs(delegator).stake(a.uid, 100n * TOKEN));
    const uids = miners.map((m) => m.uid);
    const [pending] = await commitAndReveal(
      chain.subnet,
      [
        { signer: a.signer, uids, weights: [3, 2, 1] },
        { signer: b.signer, uids: [uids[0]!, uids[2]!], weights: [1, 1] },
      ],
      chain.mineUntil,
    );
    const epoch = pending!.epoch;
    // weights for the next epoch, committed now and revealed only after the snapshot
    const nextA = await commitWeights({ subnet: chain.subnet, signer: a.signer, uids, weights: [1, 1, 9] });
    const nextB = await commitWeights({
      subnet: chain.subnet,
      signer: b.signer,
      uids: [uids[1]!],
      weights: [1],
    });
    await untilSettlement(epoch);
    for (let e = 0n; e < epoch; e++) await mined(chain.subnetAs(chain.deployer).settleEpoch(e));
    const accounts = [...miners.map((m) => m.signer.address), chain.deployer.address];
    const at = await chain.snapshot();

    const promptReceipt = await mined(chain.subnetAs(chain.deployer).settleEpoch(epoch));
    const prompt = await payouts(promptReceipt, accounts);
    await chain.revert(at);

    // stake moves, a bigger validator arrives and commits, new weights are revealed, a miner registers
    await revealWeights(chain.subnet, nextA);
    await revealWeights(chain.subnet, nextB);
    await mined(chain.subnetAs(delegator).stake(b.uid, 900n * TOKEN));
    await mined(chain.subnetAs(a.signer).unstake(a.uid, 250n * TOKEN));
    const c = await registerValidator(2000n * TOKEN);
    const later = await commitWeights({ subnet: chain.subnet, signer: c.signer, uids, weights: [0, 0, 1] });
    await registerMiners(1);
    await chain.mineUntil(Number(await chain.subnet.epochEndBlock(later.epoch)));
    await revealWeights(chain.subnet, later);
    expect(await chain.subnet.nextEpoch()).toBe(epoch);

    const expected = settleEpochReference(
      await readEpochState({ subnet: chain.subnet, epoch: Number(epoch) }),
    );
    const lateReceipt = await mined(chain.subnetAs(chain.deployer).settleEpoch(epoch));
    expect(lateReceipt.blockNumber).toBeGreaterThan(promptReceipt.blockNumber);
    const late = await payouts(lateReceipt, accounts);

    // every amount is the same; only rewardPerStake differs, since each pool's stake changed
    const uidOf = (e: (typeof prompt.events)[number]) => Number((e.args as { uid?: bigint }).uid);
    const comparable = (events: typeof prompt.events) =>
      events
        .filter((e) => e.name !== 'MinerReward' || uids.includes(uidOf(e)))
        .map((e) => (e.name === 'ValidatorReward' ? { ...e, args: { ...e.args, rewardPerStake: 0n } } : e));
    expect(comparable(late.events)).toEqual(comparable(prompt.events));
    const newcomers = late.events.filter((e) => e.name === 'MinerReward' && !uids.includes(uidOf(e)));
    expect(newcomers.map((e) => (e.args as { amount: bigint }).amount)).toEqual([0n]);
    expect(late.pending).toEqual(prompt.pending);
    expect(late.claimable).toEqual(prompt.claimable);
    expect(expected.minted).toBe(chain.deployment.params.emissionPerEpoch);
    expect(expected.validators.map((v) => v.stake)).toEqual([300n * TOKEN + 100n * TOKEN, 200n * TOKEN]);
    // and the next epoch settles from its own reveals
    await settleAndCompare(chain.subnet, chain.deployer, Number(epoch) + 1);
  });

  it('pays a validator that left after revealing the same amount, on its hotkey', async () => {
    const { heavy: a, light: b, pending } = await twoValidatorsWeighting();
    const epoch = pending.epoch;
    await untilSettlement(epoch);
    for (let e = 0n; e < epoch; e++) await mined(chain.subnetAs(chain.deployer).settleEpoch(e));
    const at = await chain.snapshot();
    const prompt = eventsOf(
      await mined(chain.subnetAs(chain.deployer).settleEpoch(epoch)),
      'ValidatorReward',
    );
    await chain.revert(at);

    await mined(chain.subnetAs(b.signer).unstake(b.uid, 200n * TOKEN)); // b leaves; its uid is freed
    const taken = await registerValidator(500n * TOKEN); // and taken by another validator
    expect(taken.uid).toBe(b.uid);
    const result = await settleAndCompare(chain.subnet, chain.deployer, Number(epoch));
    const gone = result.validators.find((v) => v.hotkey === b.signer.address)!;
    const before = prompt.find((v) => v.hotkey === b.signer.address)!;
    expect(gone).toMatchObject({
      present: false,
      amount: before.amount,
      take: before.amount,
      stakersShare: 0n,
    });
    expect(await chain.subnet.claimable(b.signer.address)).toBe(before.amount);
    expect((await chain.subnet.neuron(b.uid)).unclaimed).toBe(0n);
    expect((await chain.subnet.bondsOf(b.uid)).stamp).toBe(0n);
    expect(result.validators.find((v) => v.uid === a.uid)!.amount).toBe(
      prompt.find((v) => v.hotkey === a.signer.address)!.amount,
    );
    await expectConservation(chain.subnet, chain.token, [
      a.signer.address,
      b.signer.address,
      taken.signer.address,
      chain.deployer.address,
    ]);
  });
});

describe('settleEpoch on random cases', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each(seeds)(
    'matches the TypeScript reference on random case %i and accounts for every token',
    async (seed) => {
      const rnd = seededRandom(seed);
      const maxUids = rnd.int(6, 40);
      const deployment = await deploySubnet({
        signer: chain.deployer,
        params: {
          blocksPerWindow: 12,
          windowsPerEpoch: rnd.int(2, 4),
          deadlineGraceBlocks: 1,
          maxUids,
          maxValidators: 6,
          maxValidatorPermits: rnd.int(2, 5),
          immunityPeriod: rnd.int(0, 40),
          weightsRateLimit: 2,
          stakeLockBlocks: rnd.int(0, 10),
          kappaBps: rnd.pick([5000, 5000, 3000, 6600]),
          bondsAlphaBps: rnd.int(100, 9000),
          validatorTakeBps: rnd.int(0, 5000),
          registrationBurn: BigInt(rnd.int(0, 1000)),
          minValidatorStake: 100n * TOKEN,
          emissionPerEpoch: 1000n * TOKEN + BigInt(rnd.int(0, 1e9)),
        },
      });
      const subnet = connectSubnet({ address: deployment.subnet, runner: chain.provider });
      const token = connectToken({ address: deployment.token, runner: chain.provider });
      const as = (signer: JsonRpcSigner) => subnet.connect(signer);
      const fund = async (signer: JsonRpcSigner, amount: bigint) => {
        await mined(token.connect(chain.deployer).transfer(signer.address, amount));
        await mined(token.connect(signer).approve(deployment.subnet, 2n ** 255n));
      };
      const accounts: JsonRpcSigner[] = [chain.deployer];
      const validators: { signer: JsonRpcSigner; uid: number }[] = [];
      const miners: JsonRpcSigner[] = [];
      const delegators: JsonRpcSigner[] = [];

      const registerMiner = async () => {
        const signer = await chain.account();
        const result = await revertOf(
          as(signer).registerMiner({ value: deployment.params.registrationBurn }),
        ).catch(() => undefined);
        if (result) {
          expect(['Subnet__SubnetFull', 'Subnet__SettlementPending']).toContain(result.name);
          return;
        }
        accounts.push(signer);
        miners.push(signer);
      };
      const stakeOf = () => BigInt(rnd.int(100, 1000)) * TOKEN + BigInt(rnd.int(0, 1e6));

      for (let v = rnd.int(2, 6); v > 0; v--) {
        const signer = await chain.account();
        const amount = stakeOf();
        await fund(signer, amount);
        await mined(as(signer).registerValidator(amount));
        const [, uid] = await subnet.uidOf(signer.address);
        validators.push({ signer, uid: Number(uid) });
        accounts.push(signer);
      }
      for (let d = rnd.int(0, 3); d > 0; d--) {
        const signer = await chain.account();
        const amount = stakeOf();
        await fund(signer, amount);
        await mined(as(signer).stake(rnd.pick(validators).uid, amount));
        delegators.push(signer);
        accounts.push(signer);
      }
      for (let m = rnd.int(2, maxUids); m > 0; m--) await registerMiner();

      // start the rounds at an epoch's first block, so each round's commits fit in its epoch
      const firstEpoch = Number(await subnet.currentEpoch()) + 1;
      await chain.mineUntil(Number(await subnet.epochStartBlock(firstEpoch)));
      const epochs = 3;
      for (let epoch = firstEpoch; epoch < firstEpoch + epochs + 1; epoch++) {
        // commits for this epoch (none in the last round, which only reveals and settles)
        const pending: PendingWeights[] = [];
        if (epoch < firstEpoch + epochs) {
          const live = [];
          for (const miner of miners) {
            const [registered, uid] = await subnet.uidOf(miner.address);
            if (registered) live.push(Number(uid));
          }
          for (const validator of validators) {
            if (rnd.next() < 0.15 || !(await subnet.hasValidatorPermit(validator.uid))) continue;
            const targets = live.filter(() => rnd.next() < 0.7);
            const weights = targets.map(() => rnd.pick([0, 1, rnd.int(1, 65_535), 65_535]));
            pending.push(await commitWeights({ subnet, signer: validator.signer, uids: targets, weights }));
          }
          expect(pending.every((p) => Number(p.epoch) === epoch)).toBe(true);
          if (rnd.next() < 0.5) await registerMiner();
          if (delegators.length > 0 && rnd.next() < 0.5) {
            const delegator = rnd.pick(delegators);
            const amount = BigInt(rnd.int(1, 50)) * TOKEN;
            await fund(delegator, amount);
            await mined(as(delegator).stake(rnd.pick(validators).uid, amount));
          }
        }
        // into the next epoch: reveal most commits, then settle the epoch whose reveals are over
        await chain.mineUntil(Number(await subnet.epochEndBlock(epoch)) + rnd.int(0, 3));
        for (const p of pending) if (rnd.next() < 0.9) await revealWeights(subnet, p);
        if (epoch > firstEpoch) {
          // earlier epochs had no commits; settlement goes in order
          for (let e = Number(await subnet.nextEpoch()); e < epoch - 1; e++)
            await mined(as(chain.deployer).settleEpoch(e));
          const result = await settleAndCompare(subnet, chain.deployer, epoch - 1);
          expect(result.minted).toBe(result.minerTotal + result.validatorTotal + result.ownerTotal);
          await expectConservation(
            subnet,
            token,
            accounts.map((a) => a.address),
          );
        }
      }

      // every account claims what the views promise; afterwards only pool rounding remains
      for (const account of accounts) {
        const due = await subnet.pendingRewards(account.address);
        if (due === 0n) {
          await expectRevert(as(account).claim(), 'Subnet__NothingToClaim', [account.address]);
          continue;
        }
        const receipt = await mined(as(account).claim());
        expect(eventsOf(receipt, 'Claimed')[0]!.amount).toBe(due);
      }
      await expectConservation(
        subnet,
        token,
        accounts.map((a) => a.address),
      );
      const left = (await subnet.totalMinted()) - (await subnet.totalClaimed());
      expect(left).toBeLessThanOrEqual(BigInt(2 * epochs * (validators.length + delegators.length)));
    },
    SLOW,
  );
});
