import type { JsonRpcSigner } from 'ethers';
import { TOKEN, commitAndReveal, eventsOf, expectRevert, mined, plain, useChain } from './_test/fixtures.js';
import type { PendingWeights } from './_test/fixtures.js';

const MIN = 100n * TOKEN;
const LOCK = 5;

const chain = useChain({
  params: {
    maxUids: 8,
    maxValidators: 3,
    maxValidatorPermits: 2,
    minValidatorStake: MIN,
    stakeLockBlocks: LOCK,
    blocksPerWindow: 10,
    windowsPerEpoch: 1,
    weightsRateLimit: 0,
    validatorTakeBps: 1000,
  },
});

async function validator(stake: bigint): Promise<{ signer: JsonRpcSigner; uid: number }> {
  const signer = await chain.account();
  await chain.fundTokens(signer, stake);
  await mined(chain.subnetAs(signer).registerValidator(stake));
  const [, uid] = await chain.subnet.uidOf(signer.address);
  return { signer, uid: Number(uid) };
}

async function permits(): Promise<Record<number, boolean>> {
  const out: Record<number, boolean> = {};
  for (const n of await chain.subnet.metagraph()) if (n.isValidator) out[Number(n.uid)] = n.validatorPermit;
  return out;
}

describe('registerValidator', () => {
  it('registers with self stake pulled from the hotkey', async () => {
    const signer = await chain.account();
    await chain.fundTokens(signer, 150n * TOKEN);
    const receipt = await mined(chain.subnetAs(signer).registerValidator(150n * TOKEN));
    expect(eventsOf(receipt, 'Registered')).toEqual([
      { uid: 0n, hotkey: signer.address, isValidator: true, burn: 0n },
    ]);
    expect(eventsOf(receipt, 'Staked')).toEqual([
      {
        validatorUid: 0n,
        account: signer.address,
        amount: 150n * TOKEN,
        positionStake: 150n * TOKEN,
        validatorStake: 150n * TOKEN,
      },
    ]);
    expect(await chain.token.balanceOf(signer.address)).toBe(0n);
    expect(await chain.subnet.totalStaked()).toBe(150n * TOKEN);
    expect(plain(await chain.subnet.neuron(0))).toMatchObject({
      isValidator: true,
      validatorPermit: true,
      stake: 150n * TOKEN,
    });
    expect(await chain.subnet.validatorUids()).toEqual([0n]);
  });

  it('refuses a stake below the minimum', async () => {
    const signer = await chain.account();
    await chain.fundTokens(signer, MIN);
    await expectRevert(chain.subnetAs(signer).registerValidator(MIN - 1n), 'Subnet__StakeTooLow', [
      MIN - 1n,
      MIN,
    ]);
  });

  it('refuses a validator beyond maxValidators', async () => {
    for (let i = 0; i < 3; i++) await validator(MIN);
    const signer = await chain.account();
    await chain.fundTokens(signer, MIN);
    await expectRevert(chain.subnetAs(signer).registerValidator(MIN), 'Subnet__ValidatorSetFull', [3n]);
  });
});

describe('permits', () => {
  it('go to the largest stakes and follow stake changes', async () => {
    const a = await validator(300n * TOKEN);
    const b = await validator(200n * TOKEN);
    const c = await validator(100n * TOKEN);
    expect(await permits()).toEqual({ [a.uid]: true, [b.uid]: true, [c.uid]: false });
    expect(await chain.subnet.hasValidatorPermit(c.uid)).toBe(false);
    await expectRevert(
      chain.subnetAs(c.signer).commitWeights(`0x${'00'.repeat(32)}`),
      'Subnet__NoValidatorPermit',
      [BigInt(c.uid)],
    );

    const delegator = await chain.account();
    await chain.fundTokens(delegator, 150n * TOKEN);
    await mined(chain.subnetAs(delegator).stake(c.uid, 150n * TOKEN));
    expect(await permits()).toEqual({ [a.uid]: true, [b.uid]: false, [c.uid]: true });
  });

  it('break ties by the lower uid and need the minimum total stake', async () => {
    const a = await validator(MIN);
    const b = await validator(MIN);
    const c = await validator(MIN);
    expect(await permits()).toEqual({ [a.uid]: true, [b.uid]: true, [c.uid]: false });
    await chain.anvil.mine(LOCK);
    await mined(chain.subnetAs(a.signer).unstake(a.uid, 1n));
    expect(await permits()).toEqual({ [a.uid]: false, [b.uid]: true, [c.uid]: true });
  });
});

describe('stake and unstake', () => {
  it('delegates to a validator and locks the stake for stakeLockBlocks', async () => {
    const v = await validator(MIN);
    const delegator = await chain.account();
    await chain.fundTokens(delegator, 50n * TOKEN);
    const receipt = await mined(chain.subnetAs(delegator).stake(v.uid, 50n * TOKEN));
    expect(eventsOf(receipt, 'Delegated')).toEqual([
      {
        validatorUid: BigInt(v.uid),
        account: delegator.address,
        amount: 50n * TOKEN,
        positionStake: 50n * TOKEN,
        validatorStake: MIN + 50n * TOKEN,
      },
    ]);
    const unlock = BigInt(receipt.blockNumber + LOCK);
    expect(plain(await chain.subnet.positionOf(v.uid, delegator.address))).toEqual({
      validatorUid: BigInt(v.uid),
      stake: 50n * TOKEN,
      pending: 0n,
      unlockBlock: unlock,
    });
    expect((await chain.subnet.positionsOf(delegator.address)).map((p) => p.validatorUid)).toEqual([
      BigInt(v.uid),
    ]);
    await expectRevert(chain.subnetAs(delegator).unstake(v.uid, TOKEN), 'Subnet__StakeLocked', [unlock]);

    await chain.mineUntil(Number(unlock));
    const out = await mined(chain.subnetAs(delegator).unstake(v.uid, 20n * TOKEN));
    expect(eventsOf(out, 'Unstaked')).toEqual([
      {
        validatorUid: BigInt(v.uid),
        account: delegator.address,
        amount: 20n * TOKEN,
        positionStake: 30n * TOKEN,
        validatorStake: MIN + 30n * TOKEN,
      },
    ]);
    expect(await chain.token.balanceOf(delegator.address)).toBe(20n * TOKEN);
    expect(await chain.subnet.totalStaked()).toBe(MIN + 30n * TOKEN);
  });

  it('refuses zero amounts, missing stake and targets that are not validators', async () => {
    const v = await validator(MIN);
    const miner = await chain.account();
    await mined(chain.subnetAs(miner).registerMiner({ value: chain.deployment.params.registrationBurn }));
    const [, minerUid] = await chain.subnet.uidOf(miner.address);
    const delegator = await chain.account();
    await chain.fundTokens(delegator, TOKEN);
    await expectRevert(chain.subnetAs(delegator).stake(v.uid, 0), 'Subnet__ZeroAmount', []);
    await expectRevert(chain.subnetAs(delegator).unstake(v.uid, 0), 'Subnet__ZeroAmount', []);
    await expectRevert(chain.subnetAs(delegator).stake(Number(minerUid), TOKEN), 'Subnet__NotValidator', [
      minerUid,
    ]);
    await expectRevert(chain.subnetAs(delegator).stake(7, TOKEN), 'Subnet__NotValidator', [7n]);
    await expectRevert(chain.subnetAs(delegator).unstake(v.uid, 1n), 'Subnet__InsufficientStake', [0n, 1n]);
  });

  it('frees a validator uid when its last stake leaves, and reuses it', async () => {
    const v = await validator(MIN);
    const other = await validator(MIN);
    await chain.anvil.mine(LOCK);
    const receipt = await mined(chain.subnetAs(v.signer).unstake(v.uid, MIN));
    expect(eventsOf(receipt, 'Deregistered')).toEqual([{ uid: BigInt(v.uid), hotkey: v.signer.address }]);
    expect(await chain.subnet.validatorUids()).toEqual([BigInt(other.uid)]);
    expect((await chain.subnet.uidOf(v.signer.address))[0]).toBe(false);
    expect(await chain.subnet.positionsOf(v.signer.address)).toEqual([]);
    await expectRevert(chain.subnetAs(v.signer).stake(v.uid, 1n), 'Subnet__NotValidator', [BigInt(v.uid)]);

    const miner = await chain.account();
    const reg = await mined(
      chain.subnetAs(miner).registerMiner({ value: chain.deployment.params.registrationBurn }),
    );
    expect(eventsOf(reg, 'Registered')[0]).toMatchObject({ uid: BigInt(v.uid), hotkey: miner.address });
  });
});

describe('staking rewards', () => {
  it('pays the take to the validator and the rest pro rata, harvesting on every stake change', async () => {
    const v = await validator(300n * TOKEN);
    const miner = await chain.account();
    await mined(chain.subnetAs(miner).registerMiner({ value: chain.deployment.params.registrationBurn }));
    const [, minerUid] = await chain.subnet.uidOf(miner.address);
    const delegator = await chain.account();
    await chain.fundTokens(delegator, 200n * TOKEN);
    await mined(chain.subnetAs(delegator).stake(v.uid, 100n * TOKEN));
    const [{ epoch }] = (await commitAndReveal(
      chain.subnet,
      [{ signer: v.signer, uids: [Number(minerUid)], weights: [1] }],
      chain.mineUntil,
    )) as [PendingWeights];
    await chain.mineUntil(Number(await chain.subnet.epochEndBlock(epoch + 1n)));
    for (let e = 0n; e < epoch; e++) await mined(chain.subnetAs(miner).settleEpoch(e));
    const settle = await mined(chain.subnetAs(miner).settleEpoch(epoch));
    const [reward] = eventsOf(settle, 'ValidatorReward');
    const amount = (chain.deployment.params.emissionPerEpoch * 41n) / 100n;
    expect(reward).toMatchObject({
      uid: BigInt(v.uid),
      stake: 400n * TOKEN,
      amount,
      take: amount / 10n,
      stakersShare: amount - amount / 10n,
    });
    const stakers = amount - amount / 10n;
    expect(await chain.subnet.pendingRewards(delegator.address)).toBe(stakers / 4n);
    expect(plain(await chain.subnet.positionOf(v.uid, delegator.address)).pending).toBe(stakers / 4n);
    expect(await chain.subnet.pendingRewards(v.signer.address)).toBe(amount / 10n + (stakers * 3n) / 4n);

    // staking more moves the accrued reward to the claimable balance first
    const more = await mined(chain.subnetAs(delegator).stake(v.uid, 100n * TOKEN));
    expect(eventsOf(more, 'StakeRewardsHarvested')).toEqual([
      { validatorUid: BigInt(v.uid), account: delegator.address, amount: stakers / 4n },
    ]);
    expect(await chain.subnet.claimable(delegator.address)).toBe(stakers / 4n);
    expect(await chain.subnet.pendingRewards(delegator.address)).toBe(stakers / 4n);
    const claim = await mined(chain.subnetAs(delegator).claim());
    expect(eventsOf(claim, 'Claimed')[0]!.amount).toBe(stakers / 4n);
    await expectRevert(chain.subnetAs(delegator).claim(), 'Subnet__NothingToClaim', [delegator.address]);
  });
});
