import type { JsonRpcSigner } from 'ethers';
import { TOKEN, eventsOf, expectRevert, mined, setupChain } from './_test/fixtures.js';
import type { ChainFixture } from './_test/fixtures.js';

const RATE_LIMIT = 4;
const LOCK = 2;

let chain: ChainFixture;
let snapshot: string;
let miners: JsonRpcSigner[];
let validators: JsonRpcSigner[];

beforeAll(async () => {
  chain = await setupChain({
    params: {
      maxUids: 40,
      maxValidators: 3,
      maxValidatorPermits: 2,
      weightsRateLimit: RATE_LIMIT,
      stakeLockBlocks: LOCK,
      minValidatorStake: 100n * TOKEN,
    },
  });
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
  await chain.fundTokens(third, 100n * TOKEN);
  await mined(chain.subnetAs(third).registerValidator(100n * TOKEN));
  validators.push(third);
});
afterAll(() => chain.stop());
beforeEach(async () => {
  snapshot = await chain.snapshot();
});
afterEach(() => chain.revert(snapshot));

describe('setWeights', () => {
  it('stores the weights of a permitted validator and replaces them entirely on the next call', async () => {
    const as = chain.subnetAs(validators[0]!);
    const receipt = await mined(as.setWeights([19, 2, 17], [7, 65_535, 1]));
    expect(eventsOf(receipt, 'WeightsSet')).toEqual([
      { validatorUid: 0n, hotkey: validators[0]!.address, uids: [19n, 2n, 17n], weights: [7n, 65_535n, 1n] },
    ]);
    let stored = await chain.subnet.weightsOf(0);
    expect([stored.uids, stored.weights, stored.blockNumber]).toEqual([
      [2n, 17n, 19n],
      [65_535n, 1n, 7n],
      BigInt(receipt.blockNumber),
    ]);
    expect((await chain.subnet.neuron(0)).weightsBlock).toBe(BigInt(receipt.blockNumber));

    await chain.anvil.mine(RATE_LIMIT);
    await mined(as.setWeights([3], [5]));
    stored = await chain.subnet.weightsOf(0);
    expect([stored.uids, stored.weights]).toEqual([[3n], [5n]]);
    expect((await chain.subnet.weightsOf(1)).uids).toEqual([]);
  });

  it('is rate limited per validator', async () => {
    const receipt = await mined(chain.subnetAs(validators[0]!).setWeights([2], [1]));
    const next = BigInt(receipt.blockNumber + RATE_LIMIT);
    await expectRevert(chain.subnetAs(validators[0]!).setWeights([2], [2]), 'Subnet__WeightsRateLimited', [
      next,
    ]);
    await mined(chain.subnetAs(validators[1]!).setWeights([2], [1]));
    await chain.mineUntil(Number(next));
    await mined(chain.subnetAs(validators[0]!).setWeights([2], [2]));
  });

  it('refuses bad lengths and duplicate uids', async () => {
    const as = chain.subnetAs(validators[0]!);
    await expectRevert(as.setWeights([2, 3], [1]), 'Subnet__LengthMismatch', [2n, 1n]);
    const tooMany = Array.from({ length: 22 }, (_, i) => i);
    await expectRevert(as.setWeights(tooMany, tooMany), 'Subnet__TooManyUids', [22n, 21n]);
    await expectRevert(as.setWeights([2, 18, 2], [1, 1, 1]), 'Subnet__DuplicateUid', [2n]);
  });

  it('refuses weights on unregistered uids and on validators', async () => {
    const as = chain.subnetAs(validators[0]!);
    await expectRevert(as.setWeights([2, 21], [1, 1]), 'Subnet__UidNotRegistered', [21n]);
    await expectRevert(as.setWeights([1], [1]), 'Subnet__UidNotMiner', [1n]);
    await expectRevert(as.setWeights([20], [1]), 'Subnet__UidNotMiner', [20n]);
    // a freed uid
    await chain.anvil.mine(LOCK);
    await mined(chain.subnetAs(validators[2]!).unstake(20, 100n * TOKEN));
    await expectRevert(as.setWeights([20], [1]), 'Subnet__UidNotRegistered', [20n]);
  });

  it('is refused to strangers, miners and validators without a permit', async () => {
    const stranger = await chain.account();
    await expectRevert(chain.subnetAs(stranger).setWeights([2], [1]), 'Subnet__NotRegistered', [
      stranger.address,
    ]);
    await expectRevert(chain.subnetAs(miners[0]!).setWeights([3], [1]), 'Subnet__NotValidator', [2n]);
    await expectRevert(chain.subnetAs(validators[2]!).setWeights([3], [1]), 'Subnet__NoValidatorPermit', [
      20n,
    ]);
  });
});
