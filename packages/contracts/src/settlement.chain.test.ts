import type { JsonRpcSigner } from 'ethers';
import { connectSubnet, connectToken } from './connectSubnet.js';
import type { SubnetContract, TokenContract } from './connectSubnet.js';
import { settleEpochReference } from './consensus.js';
import type { EpochSettlement } from './consensus.js';
import { decodeSubnetLogs } from './decodeSubnetLogs.js';
import { deploySubnet } from './deploySubnet.js';
import { TOKEN, eventsOf, expectRevert, mined, revertOf, setupChain } from './_test/fixtures.js';
import type { ChainFixture } from './_test/fixtures.js';
import { readEpochState, seededRandom } from './_test/readEpochState.js';

const SLOW = 60_000;

let chain: ChainFixture;
let snapshot: string;
beforeAll(async () => {
  chain = await setupChain({
    params: { blocksPerWindow: 10, windowsPerEpoch: 2, weightsRateLimit: 2, minValidatorStake: 100n * TOKEN },
  });
});
afterAll(() => chain.stop());
beforeEach(async () => {
  snapshot = await chain.snapshot();
});
afterEach(() => chain.revert(snapshot));

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
        stake: v.stake,
        dividends: v.dividends,
        amount: v.amount,
        take: v.take,
        stakersShare: v.stakersShare,
      }))
      .sort((a, b) => a.uid - b.uid),
  ).toEqual(expected.validators.map(({ bonds: _bonds, ...rest }) => rest));
  for (const v of expected.validators) {
    const stored = await subnet.bondsOf(v.uid);
    expect(stored.bonds.map(Number)).toEqual(v.bonds);
    expect(stored.stamp).toBe(BigInt(epoch + 1));
  }
  const neurons = await subnet.metagraph();
  for (const m of expected.miners) {
    const neuron = neurons.find((n) => Number(n.uid) === m.uid)!;
    expect([neuron.consensus, neuron.incentive]).toEqual([m.consensus, m.incentive]);
  }
  return expected;
}

describe('settleEpoch', () => {
  it('refuses epochs that have not ended, are out of order or were settled', async () => {
    const end = Number(await chain.subnet.epochEndBlock(0));
    const caller = await chain.account();
    await chain.mineUntil(end - 1);
    await expectRevert(chain.subnetAs(caller).settleEpoch(0), 'Subnet__EpochNotEnded', [0n, BigInt(end)]);
    await chain.mineUntil(Number(await chain.subnet.epochEndBlock(1)));
    await expectRevert(chain.subnetAs(caller).settleEpoch(1), 'Subnet__EpochOutOfOrder', [1n, 0n]);
    await mined(chain.subnetAs(caller).settleEpoch(0));
    await expectRevert(chain.subnetAs(caller).settleEpoch(0), 'Subnet__EpochAlreadySettled', [0n]);
    expect(await chain.subnet.nextEpoch()).toBe(1n);
  });

  it('mints nothing for an epoch without an active validator, and records it', async () => {
    const miner = await chain.account();
    await mined(chain.subnetAs(miner).registerMiner({ value: chain.deployment.params.registrationBurn }));
    await chain.mineUntil(Number(await chain.subnet.epochEndBlock(0)));
    const receipt = await mined(chain.subnetAs(miner).settleEpoch(0));
    expect(eventsOf(receipt, 'EpochSettled')[0]).toMatchObject({
      minted: 0n,
      ownerTotal: 0n,
      activeValidators: 0n,
    });
    expect(eventsOf(receipt, 'MinerReward')).toHaveLength(1);
    expect(await chain.subnet.totalMinted()).toBe(0n);
    expect((await chain.subnet.epochRecord(0)).settledBlock).toBe(BigInt(receipt.blockNumber));
  });

  it('credits miners, validator takes, stakers and the owner; claims pay once', async () => {
    const { subnet, token, deployer } = chain;
    const [validator, delegator, miner0, miner1] = await Promise.all([
      chain.account(),
      chain.account(),
      chain.account(),
      chain.account(),
    ]);
    await chain.fundTokens(validator, 300n * TOKEN);
    await chain.fundTokens(delegator, 100n * TOKEN);
    const burn = chain.deployment.params.registrationBurn;
    await mined(chain.subnetAs(miner0).registerMiner({ value: burn }));
    await mined(chain.subnetAs(miner1).registerMiner({ value: burn }));
    await mined(chain.subnetAs(validator).registerValidator(300n * TOKEN));
    await mined(chain.subnetAs(delegator).stake(2, 100n * TOKEN));
    await mined(chain.subnetAs(validator).setWeights([0, 1], [3, 1]));
    await chain.mineUntil(Number(await subnet.epochEndBlock(0)));

    const expected = await settleAndCompare(subnet, miner0, 0);
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
    expect(await subnet.pendingRewards(validator.address)).toBe(v.take + (v.stakersShare * 3n) / 4n);
    expect(await subnet.pendingRewards(deployer.address)).toBe(expected.ownerTotal);
    expect(await subnet.pendingRewards(miner0.address)).toBe(expected.miners[0]!.amount);

    const accounts = [validator, delegator, miner0, miner1, deployer];
    await expectConservation(
      subnet,
      token,
      accounts.map((a) => a.address),
    );
    for (const account of accounts) {
      const pending = await subnet.pendingRewards(account.address);
      const before = await token.balanceOf(account.address);
      const receipt = await mined(subnet.connect(account).claim());
      expect(eventsOf(receipt, 'Claimed')[0]).toEqual({ account: account.address, amount: pending });
      expect(await token.balanceOf(account.address)).toBe(before + pending);
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

  it('takes a weight backed by exactly kappa of the stake as the consensus', async () => {
    const [a, b, miner0, miner1, miner2] = (await Promise.all(
      [1, 2, 3, 4, 5].map(() => chain.account()),
    )) as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner];
    for (const signer of [miner0, miner1, miner2]) {
      await mined(chain.subnetAs(signer).registerMiner({ value: chain.deployment.params.registrationBurn }));
    }
    for (const signer of [a, b]) {
      await chain.fundTokens(signer, 200n * TOKEN);
      await mined(chain.subnetAs(signer).registerValidator(200n * TOKEN));
    }
    // equal stakes: each miner's weight is backed by exactly half the stake (kappa 0.5)
    await mined(chain.subnetAs(a).setWeights([0, 2], [1, 1]));
    await mined(chain.subnetAs(b).setWeights([1, 2], [1, 3]));
    await chain.mineUntil(Number(await chain.subnet.epochEndBlock(0)));
    const result = await settleAndCompare(chain.subnet, a, 0);
    expect(result.miners.map((m) => m.consensus)).toEqual([500_000_000n, 250_000_000n, 750_000_000n]);
  });

  const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each(seeds)(
    'matches the TypeScript reference on random case %i and accounts for every token',
    async (seed) => {
      const rnd = seededRandom(seed);
      const maxUids = rnd.int(6, 40);
      const deployment = await deploySubnet({
        signer: chain.deployer,
        params: {
          blocksPerWindow: 8,
          windowsPerEpoch: rnd.int(1, 3),
          deadlineGraceBlocks: 1,
          maxUids,
          maxValidators: 6,
          maxValidatorPermits: rnd.int(2, 5),
          immunityPeriod: rnd.int(0, 40),
          weightsRateLimit: 2,
          activityCutoff: rnd.pick([10, 20, 1000]),
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
          expect(result.name).toBe('Subnet__SubnetFull');
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

      for (let epoch = 0; epoch < 3; epoch++) {
        const live = [];
        for (const miner of miners) {
          const [registered, uid] = await subnet.uidOf(miner.address);
          if (registered) live.push(Number(uid));
        }
        for (const validator of validators) {
          if (rnd.next() < 0.15 || !(await subnet.hasValidatorPermit(validator.uid))) continue;
          const targets = live.filter(() => rnd.next() < 0.7);
          const weights = targets.map(() => rnd.pick([0, 1, rnd.int(1, 65_535), 65_535]));
          await mined(as(validator.signer).setWeights(targets, weights));
        }
        if (rnd.next() < 0.5) await registerMiner();
        if (delegators.length > 0 && rnd.next() < 0.5) {
          const delegator = rnd.pick(delegators);
          const amount = BigInt(rnd.int(1, 50)) * TOKEN;
          await fund(delegator, amount);
          await mined(as(delegator).stake(rnd.pick(validators).uid, amount));
        }
        await chain.mineUntil(Number(await subnet.epochEndBlock(epoch)) + rnd.int(0, 5));
        const result = await settleAndCompare(subnet, chain.deployer, epoch);
        expect(result.minted).toBe(result.minerTotal + result.validatorTotal + result.ownerTotal);
        await expectConservation(
          subnet,
          token,
          accounts.map((a) => a.address),
        );
      }

      // every account claims what the views promise; afterwards only pool rounding remains
      for (const account of accounts) {
        const pending = await subnet.pendingRewards(account.address);
        if (pending === 0n) {
          await expectRevert(as(account).claim(), 'Subnet__NothingToClaim', [account.address]);
          continue;
        }
        const receipt = await mined(as(account).claim());
        expect(eventsOf(receipt, 'Claimed')[0]!.amount).toBe(pending);
      }
      await expectConservation(
        subnet,
        token,
        accounts.map((a) => a.address),
      );
      const left = (await subnet.totalMinted()) - (await subnet.totalClaimed());
      expect(left).toBeLessThanOrEqual(BigInt(2 * 3 * (validators.length + delegators.length)));
    },
    SLOW,
  );
});
