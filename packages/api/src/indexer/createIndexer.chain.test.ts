import { decodeSubnetLogs, readEpochState, settleEpochReference } from '@tessera/contracts';
import type { EpochSettlement } from '@tessera/contracts';
import { AbiCoder, id, keccak256, type JsonRpcSigner } from 'ethers';
import { Redis } from 'ioredis';
import { dumpIndex } from '../_test/dumpIndex.js';
import { inject } from '../_test/inject.js';
import { TOKEN, mined, setupSubnetChain } from '../_test/setupSubnetChain.js';
import type { SubnetChain } from '../_test/setupSubnetChain.js';
import { startTestRedis } from '../_test/startTestRedis.js';
import type { TestRedis } from '../_test/startTestRedis.js';
import { IndexReorgError } from '../errors/indexer.js';
import type {
  AccountRewards,
  EpochDetail,
  NeuronList,
  Receipt,
  Subnet,
  Window,
} from '../schemas/responses.js';
import { createApiServer } from '../server/createApiServer.js';
import type { ApiServer } from '../server/createApiServer.js';
import { indexKeys } from '../store/indexKeys.js';
import { createIndexer } from './createIndexer.js';
import type { IndexerProvider } from './fetchSubnetLogs.js';

// A real subnet on a private anvil, driven through the contract directly: two validators,
// two delegators, miners committing every window, aggregates, weights, four settlements,
// claims, a partial unstake, a pruned miner and a deregistered validator. The index must
// then agree with the chain's own views and with the settlement reference, to the wei.

const BPW = 10;
const WPE = 2;

let chain: SubnetChain;
let redis: TestRedis;
let api: ApiServer;
const people: Record<string, JsonRpcSigner> = {};
const expected = new Map<number, EpochSettlement>();
let lastScenarioBlock = 0;

const start = (w: number) => chain.deployment.params.startBlock + w * BPW;
const as = (who: string) => chain.subnet.connect(people[who]!);
const get = async <T>(url: string) => {
  const response = await inject(api.app, url);
  return { status: response.statusCode, body: response.json() as T };
};

/** Mines to the first block settleEpoch(epoch) takes (its reveal period over), records the reference, settles. */
async function settle(epoch: number) {
  await chain.mineUntil(Number(await chain.subnet.epochEndBlock(epoch + 1)));
  expected.set(epoch, settleEpochReference(await readEpochState({ subnet: chain.subnet, epoch })));
  await mined(as('v1').settleEpoch(epoch));
}

async function commitWindow(w: number, miners: string[]) {
  await chain.mineUntil(start(w));
  for (const m of miners) {
    await mined(as(m).commit(w, id(`update-${w}-${m}`), `file:///u/${w}/${m}`, id(`model-${w}`)));
  }
}

/** The clipping norm every aggregate here is published with: 2.5 as float32 bits. */
const NORM_BITS = 0x4020_0000;

async function publish(w: number, uids: number[]) {
  await chain.mineUntil(start(w + 1) + 2);
  await mined(as('v1').publishAggregate(w, uids, id(`aggregate-${w}-v1`), NORM_BITS, `file:///a/${w}`));
  if ((await chain.subnet.uidOf(people.v2!.address)).registered) {
    await mined(
      as('v2').publishAggregate(w, uids.slice(0, 1), id(`aggregate-${w}-v2`), NORM_BITS, `file:///a/${w}-v2`),
    );
  }
}

/** Weight commits waiting for their reveal in the next epoch. */
const pendingWeights: { who: string; epoch: bigint; uids: number[]; weights: number[]; salt: string }[] = [];

/** Commits `weights` for the epoch of the next block, the way validators do. */
async function commitWeights(who: string, uids: number[], weights: number[]) {
  const next = (await chain.provider.getBlockNumber()) + 1;
  const epoch = (await chain.subnet.windowOf(next)) / BigInt(WPE);
  const salt = id(`salt-${who}-${epoch}`);
  const hash = keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ['address', 'uint64', 'uint16[]', 'uint16[]', 'bytes32'],
      [people[who]!.address, epoch, uids, weights, salt],
    ),
  );
  await mined(as(who).commitWeights(hash));
  pendingWeights.push({ who, epoch, uids, weights, salt });
}

/** Reveals every pending commit (the chain must be in the epoch after theirs). */
async function revealWeights() {
  for (const p of pendingWeights.splice(0)) {
    await mined(as(p.who).revealWeights(p.epoch, p.uids, p.weights, p.salt));
  }
}

async function runScenario() {
  for (const who of ['v1', 'v2', 'd1', 'd2', 'm0', 'm1', 'm2', 'm3', 'm4'])
    people[who] = await chain.account(who);
  const burn = chain.deployment.params.registrationBurn;
  await chain.fundTokens(people.v1!, 300n * TOKEN);
  await chain.fundTokens(people.v2!, 200n * TOKEN);
  await chain.fundTokens(people.d1!, 100n * TOKEN);
  await chain.fundTokens(people.d2!, 100n * TOKEN);
  await mined(as('v1').registerValidator(300n * TOKEN)); // uid 0
  await mined(as('v2').registerValidator(200n * TOKEN)); // uid 1
  for (const m of ['m0', 'm1', 'm2']) await mined(as(m).registerMiner({ value: burn })); // uids 2, 3, 4
  await mined(as('d1').stake(0, 100n * TOKEN));
  await mined(as('d2').stake(1, 50n * TOKEN));

  // epoch 0: windows 0, 1; weights committed for epoch 0
  await commitWindow(0, ['m0', 'm1', 'm2']);
  await commitWindow(1, ['m0', 'm1', 'm2']);
  await publish(0, [2, 3]);
  await commitWeights('v1', [2, 3, 4], [30000, 20000, 10000]);
  await commitWeights('v2', [2, 3, 4], [10000, 30000, 5000]);
  // epoch 1: windows 2, 3; epoch 0's weights revealed, epoch 1's committed
  await commitWindow(2, ['m0', 'm1', 'm2']);
  await revealWeights();
  await publish(1, [2, 4]);
  await commitWindow(3, ['m0', 'm2']);
  await publish(2, [2, 3, 4]);
  await commitWeights('v1', [2, 3, 4], [20000, 20000, 20000]);
  await commitWeights('v2', [2, 4], [40000, 1]);
  // epoch 2: windows 4, 5 — epoch 0 settles; a partial unstake, a fifth uid, a miner pruned to make room
  await commitWindow(4, ['m0', 'm1', 'm2']);
  await publish(3, [2]);
  await revealWeights();
  await settle(0);
  await mined(as('m0').claim());
  await mined(as('d1').claim());
  await mined(as('d1').unstake(0, 40n * TOKEN));
  await mined(as('m3').registerMiner({ value: burn })); // uid 5
  await mined(as('m4').registerMiner({ value: burn })); // prunes the weakest miner
  await commitWindow(5, ['m0', 'm4']);
  await publish(4, [2]);
  await commitWeights('v1', [2, 3, 4, 5], [5000, 7000, 14000, 21000]);
  await commitWeights('v2', [2, 4], [1, 1]);
  // epoch 3: epoch 1 settles; v2 reveals, then it and its delegator leave: v2 deregisters
  await commitWindow(6, ['m0']);
  await revealWeights();
  await settle(1);
  await publish(5, [2]);
  await mined(as('d2').unstake(1, 50n * TOKEN));
  await mined(as('v2').unstake(1, 200n * TOKEN));
  await mined(as('v1').claim());
  // epoch 4 settles epoch 2 (v2 paid on its hotkey); epoch 5 settles epoch 3 (no weights)
  await settle(2);
  await settle(3);
  lastScenarioBlock = await chain.provider.getBlockNumber();
}

beforeAll(async () => {
  chain = await setupSubnetChain({
    startIn: 40,
    params: {
      blocksPerWindow: BPW,
      windowsPerEpoch: WPE,
      deadlineGraceBlocks: 2,
      weightsRateLimit: 2,
      minValidatorStake: 100n * TOKEN,
      stakeLockBlocks: 0,
      immunityPeriod: 0,
      maxUids: 6,
      maxValidators: 3,
      maxValidatorPermits: 2,
      validatorTakeBps: 1800,
    },
  });
  redis = await startTestRedis();
  await runScenario();
  api = await createApiServer({
    redis: redis.redis,
    deployment: chain.deployment,
    chain: { blockNumber: () => chain.provider.getBlockNumber() },
    rateLimit: false,
  });
  const indexer = createIndexer({
    provider: chain.provider,
    deployment: chain.deployment,
    redis: redis.redis,
    confirmations: 0,
    batchBlocks: 25,
  });
  await indexer.syncOnce({ toBlock: lastScenarioBlock });
  await indexer.stop();
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
  await chain?.stop();
});

describe('the index of a real subnet', () => {
  it('gives every account exactly what claim() would pay, and what it claimed', async () => {
    const logs = await chain.provider.getLogs({
      address: chain.deployment.subnet,
      fromBlock: 0,
      toBlock: lastScenarioBlock,
    });
    const claims = decodeSubnetLogs({ logs }).flatMap((e) => (e.name === 'Claimed' ? [e.args] : []));
    expect(claims.length).toBe(3);
    const accounts = [...Object.values(people).map((p) => p.address), chain.deployment.params.owner];
    for (const address of accounts) {
      const { status, body } = await get<AccountRewards>(`/v1/accounts/${address}/rewards?limit=200`);
      expect(status).toBe(200);
      const claimed = claims.filter((c) => c.account === address).reduce((sum, c) => sum + c.amount, 0n);
      expect({ address, claimable: body.claimable, claimed: body.claimed }).toEqual({
        address,
        claimable: (await chain.subnet.pendingRewards(address)).toString(),
        claimed: claimed.toString(),
      });
      expect(BigInt(body.earned)).toBe(BigInt(body.claimable) + claimed);
    }
    // the scenario did prune a miner and deregister a validator, whose credits moved
    const decoded = decodeSubnetLogs({ logs });
    expect(decoded.filter((e) => e.name === 'Pruned')).toHaveLength(1);
    expect(decoded.filter((e) => e.name === 'Deregistered').map((e) => e.args.hotkey)).toEqual([
      people.v2!.address,
    ]);
  });

  it('matches the metagraph: roles, stakes, consensus, incentive, dividends and permits', async () => {
    const { body } = await get<NeuronList>('/v1/neurons');
    const metagraph = await chain.subnet.metagraph();
    // the block of each validator's last reveal, from the chain's events
    const logs = await chain.provider.getLogs({
      address: chain.deployment.subnet,
      fromBlock: 0,
      toBlock: lastScenarioBlock,
    });
    const lastReveal = new Map<string, number>();
    for (const e of decodeSubnetLogs({ logs }))
      if (e.name === 'WeightsRevealed')
        lastReveal.set(`${e.args.validatorUid}:${e.args.hotkey}`, e.blockNumber);
    expect(body.neurons.map((n) => n.uid)).toEqual(metagraph.map((n) => Number(n.uid)));
    for (const neuron of metagraph) {
      const indexed = body.neurons.find((n) => n.uid === Number(neuron.uid))!;
      expect({
        address: indexed.address,
        role: indexed.role,
        stake: indexed.stake,
        consensus: Math.round(indexed.consensus * 1e9),
        incentive: Math.round(indexed.incentive * 1e9),
        dividends: Math.round(indexed.dividends * 1e9),
        permit: indexed.validatorPermit,
        registrationBlock: indexed.registrationBlock,
        weightsBlock: indexed.weightsBlock ?? 0,
      }).toEqual({
        address: neuron.hotkey,
        role: neuron.isValidator ? 'validator' : 'miner',
        stake: neuron.stake.toString(),
        consensus: Number(neuron.consensus),
        incentive: Number(neuron.incentive),
        dividends: Number(neuron.dividends),
        permit: neuron.validatorPermit,
        registrationBlock: Number(neuron.registrationBlock),
        weightsBlock: lastReveal.get(`${neuron.uid}:${neuron.hotkey}`) ?? 0,
      });
    }
  });

  it("pays every epoch as the settlement reference computed from the chain's views before it", async () => {
    for (const [epoch, reference] of expected) {
      const { status, body } = await get<EpochDetail>(`/v1/epochs/${epoch}`);
      expect(status).toBe(200);
      expect(body.referenceMatches).toBe(true);
      expect(body.referenceMismatches).toEqual([]);
      expect(body.minted).toBe((await chain.subnet.epochRecord(epoch)).minted.toString());
      expect([body.minted, body.minerTotal, body.validatorTotal, body.ownerTotal]).toEqual(
        [reference.minted, reference.minerTotal, reference.validatorTotal, reference.ownerTotal].map(String),
      );
      expect(body.miners.map((m) => [m.uid, m.amount, Math.round(m.consensus * 1e9)])).toEqual(
        reference.miners.map((m) => [m.uid, m.amount.toString(), Number(m.consensus)]),
      );
      expect(body.validators.map((v) => [v.uid, v.amount, v.take])).toEqual(
        reference.validators.map((v) => [v.uid, v.amount.toString(), v.take.toString()]),
      );
    }
    expect(expected.get(0)!.minted).toBe(chain.deployment.params.emissionPerEpoch);
    // v2 revealed for epoch 2 and left before it was settled: paid on its hotkey, all of it
    expect(expected.get(2)!.validators.find((v) => v.hotkey === people.v2!.address)).toMatchObject({
      present: false,
      stakersShare: 0n,
    });
    expect(expected.get(3)!.minted).toBe(0n);
  });

  it('gives a receipt for every payout of every account that checks out', async () => {
    const accounts = [...Object.values(people).map((p) => p.address), chain.deployment.params.owner];
    let items = 0;
    for (const address of accounts) {
      const rewards = (await get<AccountRewards>(`/v1/accounts/${address}/rewards?limit=200`)).body;
      for (const entry of rewards.history) {
        const { status, body } = await get<Receipt>(`/v1/accounts/${address}/receipts/${entry.epoch}`);
        expect(status).toBe(200);
        expect(body.total).toBe(entry.total);
        const failed = body.items.flatMap((item) =>
          item.checks
            .filter((c) => !c.matches)
            .map(
              (c) =>
                `${address} epoch ${entry.epoch} ${item.payout.kind} ${c.name}: ${c.expected} vs ${c.actual}`,
            ),
        );
        expect(failed).toEqual([]);
        const settle = await chain.provider.getTransactionReceipt(body.settlement.tx);
        expect(settle?.blockNumber).toBe(body.settlement.block);
        items += body.items.length;
      }
    }
    expect(items).toBeGreaterThan(20);
  });

  it("matches the chain's commitments and the aggregate getAggregate picks", async () => {
    for (let w = 0; w <= 5; w++) {
      const { body } = await get<Window>(`/v1/windows/${w}`);
      const commitments = await chain.subnet.getCommitments(w);
      expect(body.commitments.map((c) => [c.uid, c.address, c.digest, c.uri, c.block])).toEqual(
        [...commitments]
          .sort((a, b) => Number(a.blockNumber - b.blockNumber) || Number(a.uid - b.uid))
          .map((c) => [Number(c.uid), c.hotkey, c.digest, c.uri, Number(c.blockNumber)]),
      );
      const [found, aggregate] = await chain.subnet.getAggregate(w);
      expect(found).toBe(true);
      expect(body.aggregationSet).toEqual({
        validatorUid: Number(aggregate.validatorUid),
        uids: aggregate.uids.map(Number),
        aggregateHash: aggregate.aggregateHash,
        uri: aggregate.uri,
      });
      expect(body.complete).toBe(true);
    }
  });

  it("matches the chain's totals", async () => {
    const { body } = await get<Subnet>('/v1/subnet');
    expect(body.totals).toMatchObject({
      emitted: (await chain.subnet.totalMinted()).toString(),
      claimed: (await chain.subnet.totalClaimed()).toString(),
      staked: (await chain.subnet.totalStaked()).toString(),
      burned: (await chain.subnet.totalBurned()).toString(),
      epochsSettled: Number(await chain.subnet.nextEpoch()),
      miners: 4,
      validators: 1,
    });
  });
});

const snapshot = () => chain.provider.send('evm_snapshot', []) as Promise<string>;
const revert = async (at: string) => expect(await chain.provider.send('evm_revert', [at])).toBe(true);

async function indexDb(db: number): Promise<Redis> {
  const connection = new Redis(`${redis.url}/${db}`, { maxRetriesPerRequest: 1 });
  await connection.flushdb();
  return connection;
}

describe('resuming and replaying', () => {
  const prefix = () => indexKeys({ subnet: chain.deployment.subnet }).prefix;

  it('resumes from its cursor after a stop, whatever the batch size', async () => {
    const connection = await indexDb(1);
    const make = (batchBlocks: number) =>
      createIndexer({
        provider: chain.provider,
        deployment: chain.deployment,
        redis: connection,
        confirmations: 0,
        batchBlocks,
      });
    const first = make(7);
    const second = make(1000);
    try {
      const middle = Number((await chain.subnet.epochRecord(1)).settledBlock);
      const part = await first.syncOnce({ toBlock: middle });
      expect(part.epochs).toEqual([0, 1]);
      await first.stop();
      const rest = await second.syncOnce({ toBlock: lastScenarioBlock });
      expect(rest.fromBlock).toBe(middle + 1);
      expect(rest.epochs).toEqual([2, 3]);
      expect(await dumpIndex(connection, prefix())).toEqual(await dumpIndex(redis.redis, prefix()));
    } finally {
      await first.stop();
      await second.stop();
      connection.disconnect();
    }
  });

  it('applies a block range once when a pass fails after reading it and is retried', async () => {
    const connection = await indexDb(2);
    let calls = 0;
    const flaky: IndexerProvider = {
      getBlockNumber: () => chain.provider.getBlockNumber(),
      getLogs: (filter) => chain.provider.getLogs(filter),
      getBlock: async (block) => {
        if (++calls === 4) throw new Error('connection reset');
        return chain.provider.getBlock(block);
      },
    };
    const indexer = createIndexer({
      provider: flaky,
      deployment: chain.deployment,
      redis: connection,
      confirmations: 0,
      batchBlocks: 20,
    });
    try {
      await expect(indexer.syncOnce({ toBlock: lastScenarioBlock })).rejects.toThrow('connection reset');
      await indexer.syncOnce({ toBlock: lastScenarioBlock });
      expect(await indexer.syncOnce({ toBlock: lastScenarioBlock })).toMatchObject({ events: 0, batches: 0 });
      expect(await dumpIndex(connection, prefix())).toEqual(await dumpIndex(redis.redis, prefix()));
    } finally {
      await indexer.stop();
      connection.disconnect();
    }
  });

  it('never counts twice when two indexers race on one index', async () => {
    const connection = await indexDb(3);
    const make = () =>
      createIndexer({
        provider: chain.provider,
        deployment: chain.deployment,
        redis: connection,
        confirmations: 0,
        batchBlocks: 10,
      });
    const racers = [make(), make()];
    try {
      const results = await Promise.allSettled(racers.map((r) => r.syncOnce({ toBlock: lastScenarioBlock })));
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
      for (const racer of racers) await racer.syncOnce({ toBlock: lastScenarioBlock });
      expect(await dumpIndex(connection, prefix())).toEqual(await dumpIndex(redis.redis, prefix()));
    } finally {
      await Promise.all(racers.map((r) => r.stop()));
      connection.disconnect();
    }
  });
});

describe('confirmations and reorganisations', () => {
  it('indexes only confirmed blocks, so a shallow reorganisation never reaches the index', async () => {
    const connection = await indexDb(4);
    const keys = indexKeys({ subnet: chain.deployment.subnet });
    const indexer = createIndexer({
      provider: chain.provider,
      deployment: chain.deployment,
      redis: connection,
      confirmations: 2,
    });
    try {
      await indexer.syncOnce();
      const before = await snapshot();
      const window = Number(await chain.subnet.currentWindow());
      const receipt = await mined(as('m0').commit(window, id('orphan'), 'file:///orphan', id('model')));
      await chain.anvil.mine(1);
      const pass = await indexer.syncOnce();
      expect(pass.toBlock).toBe(receipt.blockNumber - 1);
      expect(await connection.hget(keys.window(window), 'commit:2')).toBeNull();

      await revert(before);
      await chain.anvil.mine(3);
      const after = await indexer.syncOnce();
      expect(after.toBlock).toBeGreaterThanOrEqual(receipt.blockNumber);
      expect(await connection.hget(keys.window(window), 'commit:2')).toBeNull();
      const cursor = await connection.hgetall(keys.cursor);
      expect(cursor.hash).toBe((await chain.provider.getBlock(Number(cursor.block)))?.hash);
    } finally {
      await indexer.stop();
      connection.disconnect();
    }
  });

  it('stops, and says so, when the chain drops a block it already indexed', async () => {
    const connection = await indexDb(5);
    const indexer = createIndexer({
      provider: chain.provider,
      deployment: chain.deployment,
      redis: connection,
      confirmations: 0,
      pollIntervalMs: 10,
    });
    try {
      const before = await snapshot();
      await chain.anvil.mine(2);
      await indexer.syncOnce();
      await revert(before);
      await mined(chain.token.connect(chain.deployer).approve(chain.deployment.subnet, 1n));
      await chain.anvil.mine(3);
      await expect(indexer.syncOnce()).rejects.toBeInstanceOf(IndexReorgError);
      indexer.start();
      for (let i = 0; i < 200 && indexer.status().state !== 'failed'; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(indexer.status()).toMatchObject({ state: 'failed' });
      expect(indexer.status().lastError).toContain('no longer holds the last indexed block');
    } finally {
      await indexer.stop();
      connection.disconnect();
    }
  });
});
