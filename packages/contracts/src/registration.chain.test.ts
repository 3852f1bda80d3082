import type { JsonRpcSigner } from 'ethers';
import {
  TOKEN,
  commitAndReveal,
  eventsOf,
  expectRevert,
  mined,
  plain,
  settleDue,
  useChain,
} from './_test/fixtures.js';
import type { PendingWeights } from './_test/fixtures.js';

const BURN = 10n ** 15n;
const IMMUNITY = 20;

const chain = useChain({
  params: {
    maxUids: 4,
    maxValidators: 2,
    maxValidatorPermits: 2,
    immunityPeriod: IMMUNITY,
    registrationBurn: BURN,
    blocksPerWindow: 10,
    windowsPerEpoch: 1,
    weightsRateLimit: 0,
    minValidatorStake: 100n * TOKEN,
  },
});

async function registerMiners(count: number): Promise<JsonRpcSigner[]> {
  const signers: JsonRpcSigner[] = [];
  for (let i = 0; i < count; i++) {
    const signer = await chain.account();
    await mined(chain.subnetAs(signer).registerMiner({ value: BURN }));
    signers.push(signer);
  }
  return signers;
}

async function uidOf(address: string): Promise<number | undefined> {
  const [registered, uid] = await chain.subnet.uidOf(address);
  return registered ? Number(uid) : undefined;
}

describe('registerMiner', () => {
  it('takes the next uid for exactly the burn and keeps the wei out of reach', async () => {
    const miner = await chain.account();
    const receipt = await mined(chain.subnetAs(miner).registerMiner({ value: BURN }));
    expect(eventsOf(receipt, 'Registered')).toEqual([
      { uid: 0n, hotkey: miner.address, isValidator: false, burn: BURN },
    ]);
    expect(await uidOf(miner.address)).toBe(0);
    expect(await chain.subnet.totalBurned()).toBe(BURN);
    expect(await chain.provider.getBalance(chain.deployment.subnet)).toBe(BURN);
    const [neuron] = await chain.subnet.metagraph();
    expect(plain(neuron)).toMatchObject({
      uid: 0n,
      hotkey: miner.address,
      isValidator: false,
      validatorPermit: false,
      stake: 0n,
      registrationBlock: BigInt(receipt.blockNumber),
      registrationEpoch: 0n,
    });
    expect(plain(await chain.subnet.neuron(0))).toEqual(plain(neuron));
  });

  it('refuses a burn that is too small or too large', async () => {
    const miner = await chain.account();
    await expectRevert(chain.subnetAs(miner).registerMiner({ value: BURN - 1n }), 'Subnet__WrongBurn', [
      BURN - 1n,
      BURN,
    ]);
    await expectRevert(chain.subnetAs(miner).registerMiner({ value: BURN + 1n }), 'Subnet__WrongBurn', [
      BURN + 1n,
      BURN,
    ]);
  });

  it('refuses a hotkey that already holds a uid', async () => {
    const [miner] = await registerMiners(1);
    await expectRevert(chain.subnetAs(miner!).registerMiner({ value: BURN }), 'Subnet__AlreadyRegistered', [
      miner!.address,
      0n,
    ]);
    await chain.fundTokens(miner!, 100n * TOKEN);
    await expectRevert(chain.subnetAs(miner!).registerValidator(100n * TOKEN), 'Subnet__AlreadyRegistered', [
      miner!.address,
      0n,
    ]);
  });

  it('refuses to register when every uid is taken by immune miners', async () => {
    await registerMiners(4);
    const late = await chain.account();
    await expectRevert(chain.subnetAs(late).registerMiner({ value: BURN }), 'Subnet__SubnetFull', [4n]);
    await expect(chain.subnet.neuron(4)).rejects.toThrow();
  });

  it('prunes the earliest registered miner when all have the same incentive', async () => {
    const miners = await registerMiners(4);
    await chain.anvil.mine(IMMUNITY);
    await settleDue(chain.subnet, chain.deployer);
    const newcomer = await chain.account();
    const receipt = await mined(chain.subnetAs(newcomer).registerMiner({ value: BURN }));
    expect(eventsOf(receipt, 'Pruned')).toEqual([{ uid: 0n, hotkey: miners[0]!.address, incentive: 0n }]);
    expect(await uidOf(newcomer.address)).toBe(0);
    expect(await uidOf(miners[0]!.address)).toBeUndefined();
    // the newcomer is immune now; the next registration takes the next-oldest
    const next = await chain.account();
    const second = await mined(chain.subnetAs(next).registerMiner({ value: BURN }));
    expect(eventsOf(second, 'Pruned')[0]).toMatchObject({ uid: 1n, hotkey: miners[1]!.address });
  });

  it('prunes the non-immune miner with the lowest incentive, keeping its rewards claimable', async () => {
    const miners = await registerMiners(3);
    const validator = await chain.account();
    await chain.fundTokens(validator, 100n * TOKEN);
    await mined(chain.subnetAs(validator).registerValidator(100n * TOKEN));
    const [{ epoch }] = (await commitAndReveal(
      chain.subnet,
      [{ signer: validator, uids: [0, 1, 2], weights: [30, 10, 20] }],
      chain.mineUntil,
    )) as [PendingWeights];
    // settle that epoch alone, then prune once immunity is over and before the next settlement is due
    await chain.mineUntil(Number(await chain.subnet.epochEndBlock(epoch + 1n)));
    expect(await settleDue(chain.subnet, chain.deployer)).toEqual([Number(epoch)]);
    const immuneUntil = Number((await chain.subnet.neuron(2)).registrationBlock) + IMMUNITY;
    expect(immuneUntil).toBeLessThan(Number(await chain.subnet.epochEndBlock(epoch + 2n)));
    await chain.mineUntil(immuneUntil);

    const weakest = miners[1]!;
    const reward = await chain.subnet.pendingRewards(weakest.address);
    expect(reward).toBeGreaterThan(0n);
    const incentive = (await chain.subnet.neuron(1)).incentive;
    const newcomer = await chain.account();
    const receipt = await mined(chain.subnetAs(newcomer).registerMiner({ value: BURN }));
    expect(eventsOf(receipt, 'Pruned')).toEqual([{ uid: 1n, hotkey: weakest.address, incentive }]);
    expect(eventsOf(receipt, 'Registered')[0]).toMatchObject({ uid: 1n, hotkey: newcomer.address });
    expect((await chain.subnet.neuron(1)).incentive).toBe(0n);
    expect(await chain.subnet.claimable(weakest.address)).toBe(reward);
    expect(await chain.subnet.pendingRewards(newcomer.address)).toBe(0n);
    const claim = await mined(chain.subnetAs(weakest).claim());
    expect(eventsOf(claim, 'Claimed')[0]).toEqual({ account: weakest.address, amount: reward });
  });

  it('refuses to prune while an epoch whose reveals are over waits for settlement', async () => {
    await registerMiners(4);
    await chain.anvil.mine(IMMUNITY);
    const next = await chain.subnet.nextEpoch();
    const newcomer = await chain.account();
    await expectRevert(chain.subnetAs(newcomer).registerMiner({ value: BURN }), 'Subnet__SettlementPending', [
      next,
    ]);
    await settleDue(chain.subnet, chain.deployer);
    const receipt = await mined(chain.subnetAs(newcomer).registerMiner({ value: BURN }));
    expect(eventsOf(receipt, 'Pruned')).toHaveLength(1);
  });

  it('never prunes validators', async () => {
    await registerMiners(2);
    const validators = [await chain.account(), await chain.account()];
    for (const v of validators) {
      await chain.fundTokens(v, 100n * TOKEN);
      await mined(chain.subnetAs(v).registerValidator(100n * TOKEN));
    }
    await chain.anvil.mine(IMMUNITY);
    await settleDue(chain.subnet, chain.deployer);
    const newcomer = await chain.account();
    const receipt = await mined(chain.subnetAs(newcomer).registerMiner({ value: BURN }));
    expect(Number(eventsOf(receipt, 'Pruned')[0]!.uid)).toBeLessThan(2);
    for (const v of validators) expect(await uidOf(v.address)).toBeGreaterThanOrEqual(2);
  });
});
