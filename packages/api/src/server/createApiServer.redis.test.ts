import { evmSubnetId, windowMetricsKey, windowSampleField } from '@tessera/core';
import { Redis } from 'ioredis';
import { simulateSubnetEvents } from '../devtools/simulateSubnetEvents.js';
import type { SimulatedSubnet } from '../devtools/simulateSubnetEvents.js';
import { simulatedDeployment } from '../devtools/simulatedDeployment.js';
import { seedSimulatedIndex } from '../devtools/seedSimulatedIndex.js';
import { inject } from '../_test/inject.js';
import { startTestRedis } from '../_test/startTestRedis.js';
import type { TestRedis } from '../_test/startTestRedis.js';
import type {
  AccountRewards,
  EpochDetail,
  EpochList,
  NeuronList,
  Receipt,
  Subnet,
  Window,
  WindowList,
} from '../schemas/responses.js';
import { createApiServer } from './createApiServer.js';
import type { ApiServer } from './createApiServer.js';
import { freePort } from '@tessera/devtools';

const deployment = simulatedDeployment({
  params: { blocksPerWindow: 10, windowsPerEpoch: 2, deadlineGraceBlocks: 2 },
});
const subnetParams = deployment.params;

let redis: TestRedis;
let api: ApiServer;
let simulation: SimulatedSubnet;
let head: number;

beforeAll(async () => {
  redis = await startTestRedis();
  simulation = simulateSubnetEvents({
    subnet: deployment.subnet,
    params: subnetParams,
    miners: 6,
    validators: 2,
    delegators: 4,
    epochs: 4,
    seed: 7,
  });
  await seedSimulatedIndex({ redis: redis.redis, deployment, simulation, batchBlocks: 7 });
  await redis.redis.hset(
    windowMetricsKey({ subnet: evmSubnetId(deployment), window: 3 }),
    windowSampleField,
    JSON.stringify({ prompt: 'The', text: ' jury said' }),
  );
  head = simulation.lastBlock + 3;
  api = await createApiServer({
    redis: redis.redis,
    deployment,
    chain: { blockNumber: async () => head },
    rateLimit: false,
  });
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
});

const get = async <T>(url: string, headers: Record<string, string> = {}) => {
  const response = await inject(api.app, { method: 'GET', url, headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.json() as T,
    raw: response.body,
  };
};
type ErrorJson = { statusCode: number; code: string; message: string; howToSolve: string };

const eventsNamed = (name: string) => simulation.events.filter((e) => e.name === name);
const sumOf = (name: string, field: string, who?: (args: Record<string, unknown>) => boolean) =>
  eventsNamed(name)
    .map((e) => e.args as unknown as Record<string, unknown>)
    .filter((args) => who?.(args) ?? true)
    .reduce((sum, args) => sum + (args[field] as bigint), 0n);

describe('service routes', () => {
  it('reports health with the indexed block and the lag behind the head', async () => {
    const { status, body, headers } = await get<{ status: string; indexedBlock: number; lagBlocks: number }>(
      '/v1/health',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      indexedBlock: simulation.lastBlock,
      lagBlocks: 3,
      chain: 'ok',
    });
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['x-request-id']).toBeDefined();
  });

  it('serves Prometheus metrics with request counts by route', async () => {
    await get('/v1/subnet');
    const response = await inject(api.app, { url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(
      /tessera_api_http_requests_total\{route="\/v1\/subnet",method="GET",status_code="200"\} \d+/,
    );
  });

  it('publishes an OpenAPI document with every route and its error answers, and a docs page', async () => {
    const { status, body } = await get<{
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    }>('/docs/json');
    expect(status).toBe(200);
    for (const path of [
      '/v1/health',
      '/v1/subnet',
      '/v1/neurons',
      '/v1/neurons/{uid}',
      '/v1/accounts/{address}/rewards',
      '/v1/accounts/{address}/receipts/{epoch}',
      '/v1/epochs',
      '/v1/epochs/{epoch}',
      '/v1/windows',
      '/v1/windows/{window}',
    ]) {
      expect(body.paths[path]?.get.responses['200']).toBeDefined();
    }
    expect(body.paths['/v1/accounts/{address}/rewards']?.get.responses['400']).toBeDefined();
    expect((await get('/v1/openapi.json')).body).toEqual(body);
    const page = await inject(api.app, { url: '/docs' });
    expect([200, 302]).toContain(page.statusCode);
  });

  it('answers unknown routes with a JSON ROUTE_NOT_FOUND', async () => {
    const { status, body } = await get<ErrorJson>('/v1/nothing-here');
    expect(status).toBe(404);
    expect(body.code).toBe('ROUTE_NOT_FOUND');
    expect(body.message).toContain('/v1/nothing-here');
  });
});

describe('GET /v1/subnet', () => {
  it('gives hyperparameters, the clock at the head and totals from the events', async () => {
    const { status, body } = await get<Subnet>('/v1/subnet');
    expect(status).toBe(200);
    expect(body.hyperparameters.blocksPerWindow).toBe(10);
    expect(body.hyperparameters.emissionPerEpoch).toBe(subnetParams.emissionPerEpoch.toString());
    const window = Math.floor((head - subnetParams.startBlock) / 10);
    expect(body.clock).toEqual({
      headBlock: head,
      indexedBlock: simulation.lastBlock,
      currentWindow: window,
      currentEpoch: Math.floor(window / 2),
      nextEpochToSettle: 4,
    });
    expect(body.totals).toMatchObject({
      emitted: sumOf('EpochSettled', 'minted').toString(),
      ownerTotal: sumOf('EpochSettled', 'ownerTotal').toString(),
      claimed: sumOf('Claimed', 'amount').toString(),
      epochsSettled: 4,
      miners: 6,
      validators: 2,
      events: simulation.events.length,
    });
    expect(BigInt(body.totals.emitted)).toBe(4n * subnetParams.emissionPerEpoch);
  });
});

describe('neurons', () => {
  it('lists neurons with roles, stakes, permits and last commitments', async () => {
    const { body } = await get<NeuronList>('/v1/neurons');
    expect(body.count).toBe(8);
    const miners = body.neurons.filter((n) => n.role === 'miner');
    const validators = body.neurons.filter((n) => n.role === 'validator');
    expect(validators.every((v) => v.validatorPermit && BigInt(v.stake) > 0n)).toBe(true);
    const incentives = miners.reduce((sum, m) => sum + m.incentive, 0);
    expect(incentives).toBeGreaterThan(0.999);
    expect(incentives).toBeLessThanOrEqual(1.000001);
    expect(miners.every((m) => m.lastCommitment?.window === 7)).toBe(true);
    const onlyValidators = await get<NeuronList>('/v1/neurons?role=validator');
    expect(onlyValidators.body.neurons.map((n) => n.uid)).toEqual(validators.map((v) => v.uid));
  });

  it('gives one neuron, 404 for a free uid and 400 for a malformed one', async () => {
    const one = await get<{ uid: number; weights: { uids: number[] } | null }>('/v1/neurons/0');
    expect(one.status).toBe(200);
    expect(one.body.weights?.uids).toHaveLength(6);
    const free = await get<ErrorJson>('/v1/neurons/99');
    expect([free.status, free.body.code]).toEqual([404, 'NEURON_NOT_FOUND']);
    const bad = await get<ErrorJson>('/v1/neurons/abc');
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_PARAMETER']);
    expect(bad.body.message).toBe(
      `Path parameter 'uid' is invalid: got "abc", expected a uid: a whole number from 0 to 4095.`,
    );
    expect((await get<ErrorJson>('/v1/neurons/4096')).status).toBe(400);
    const role = await get<ErrorJson>('/v1/neurons?role=owner');
    expect(role.status).toBe(400);
    expect(role.body.message).toContain("Query parameter 'role'");
  });
});

describe('GET /v1/accounts/:address/rewards', () => {
  it("matches a miner's rewards and claims in the events", async () => {
    const miner = simulation.miners[1]!;
    const { status, body } = await get<AccountRewards>(
      `/v1/accounts/${miner.toLowerCase()}/rewards?limit=50`,
    );
    expect(status).toBe(200);
    expect(body.address).toBe(miner);
    const earned = sumOf('MinerReward', 'amount', (a) => a.hotkey === miner);
    const claimed = sumOf('Claimed', 'amount', (a) => a.account === miner);
    expect(body).toMatchObject({
      earned: earned.toString(),
      claimed: claimed.toString(),
      claimable: (earned - claimed).toString(),
      asOfBlock: simulation.lastBlock,
      neuron: { uid: 3, role: 'miner' },
      positions: [],
    });
    expect(body.breakdown.mining).toBe(earned.toString());
    expect(body.history.map((h) => h.epoch)).toEqual([3, 2, 1, 0]);
    expect(body.history.every((h) => h.payouts[0]?.kind === 'mining')).toBe(true);
    expect(body.claims.reduce((sum, c) => sum + BigInt(c.amount), 0n)).toBe(claimed);
  });

  it("gives a delegator's staking rewards: claimable = earned − claimed, history adding up", async () => {
    const holder = simulation.delegators[0]!;
    const { body } = await get<AccountRewards>(`/v1/accounts/${holder}/rewards`);
    expect(BigInt(body.claimable)).toBe(BigInt(body.earned) - BigInt(body.claimed));
    expect(body.claimed).toBe(sumOf('Claimed', 'amount', (a) => a.account === holder).toString());
    expect(body.positions).toHaveLength(1);
    const attributed = body.history.reduce((sum, h) => sum + BigInt(h.total), 0n);
    expect(attributed.toString()).toBe(body.breakdown.staking);
    // the contract rounds each position's debt up at every change: at most a wei per claim
    expect(attributed - BigInt(body.earned)).toBeGreaterThanOrEqual(0n);
    expect(attributed - BigInt(body.earned)).toBeLessThanOrEqual(4n);
    expect(body.history.flatMap((h) => h.payouts).every((p) => p.kind === 'staking')).toBe(true);
  });

  it('pages the history newest first with nextBefore', async () => {
    const miner = simulation.miners[0]!;
    const first = await get<AccountRewards>(`/v1/accounts/${miner}/rewards?limit=3`);
    expect(first.body.history.map((h) => h.epoch)).toEqual([3, 2, 1]);
    expect(first.body.nextBefore).toBe(1);
    const second = await get<AccountRewards>(`/v1/accounts/${miner}/rewards?limit=3&before=1`);
    expect(second.body.history.map((h) => h.epoch)).toEqual([0]);
    expect(second.body.nextBefore).toBeNull();
  });

  it('answers an unknown account with zeros', async () => {
    const { status, body } = await get<AccountRewards>(`/v1/accounts/0x${'ab'.repeat(20)}/rewards`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ claimable: '0', earned: '0', claimed: '0', history: [], neuron: null });
  });

  it.each([
    [
      '0x123',
      `Path parameter 'address' is invalid: got "0x123", expected an account address: 0x followed by 40 hex digits.`,
    ],
    [
      `0x${'g'.repeat(40)}`,
      `Path parameter 'address' is invalid: got "0x${'g'.repeat(40)}", expected an account address: 0x followed by 40 hex digits.`,
    ],
  ])('refuses the malformed address %s with a 400 naming it', async (address, message) => {
    const { status, body } = await get<ErrorJson>(`/v1/accounts/${address}/rewards`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, code: 'INVALID_PARAMETER', message });
    expect(body.howToSolve).not.toBe('');
  });

  it('refuses a mixed-case address with a wrong checksum', async () => {
    const miner = simulation.miners[0]!;
    const flipped =
      miner.slice(0, 2) +
      [...miner.slice(2)]
        .map((c) => (/[a-f]/.test(c) ? c.toUpperCase() : /[A-F]/.test(c) ? c.toLowerCase() : c))
        .join('');
    const { status, body } = await get<ErrorJson>(`/v1/accounts/${flipped}/rewards`);
    expect([status, body.code]).toEqual([400, 'INVALID_ADDRESS']);
    expect(body.message).toContain('checksum');
  });

  it.each(['limit=0', 'limit=201', 'limit=abc', 'before=-1', 'limit=2.5'])(
    'refuses the page %s',
    async (query) => {
      const { status, body } = await get<ErrorJson>(`/v1/accounts/${simulation.miners[0]}/rewards?${query}`);
      expect([status, body.code]).toEqual([400, 'INVALID_PARAMETER']);
      expect(body.message).toMatch(/^Query parameter '(limit|before)' is invalid: got "[^"]*", expected /);
    },
  );
});

describe('receipts', () => {
  it("recomputes a miner's consensus, rank, incentive and amount from the validators' weights", async () => {
    const miner = simulation.miners[2]!;
    const { status, body } = await get<Receipt>(`/v1/accounts/${miner}/receipts/2`);
    expect(status).toBe(200);
    expect(body.verified).toBe(true);
    expect(body.settlement.referenceMatches).toBe(true);
    const settle = simulation.events.find((e) => e.name === 'EpochSettled' && e.args.epoch === 2n)!;
    expect(body.settlement.tx).toBe(settle.transactionHash);
    const [item] = body.items;
    expect(item?.payout.kind).toBe('mining');
    expect(item?.weights).toHaveLength(2);
    expect(item?.weights.every((w) => w.minerUid === 4 && w.weight > 0 && w.weightsTx !== null)).toBe(true);
    expect(item?.checks.map((c) => [c.name, c.matches])).toEqual([
      ['consensus', true],
      ['rank', true],
      ['incentive', true],
      ['amount', true],
    ]);
  });

  it("explains a delegator's staking share and the owner's remainder", async () => {
    const holder = simulation.delegators[1]!;
    const staking = await get<Receipt>(`/v1/accounts/${holder}/receipts/0`);
    expect(staking.body.verified).toBe(true);
    expect(staking.body.items[0]?.payout.kind).toBe('staking');
    expect(staking.body.items[0]?.checks.map((c) => c.name)).toEqual(['rewardPerStake', 'amount']);
    const owner = await get<Receipt>(`/v1/accounts/${subnetParams.owner}/receipts/3`);
    expect(owner.body.items.map((i) => i.payout.kind)).toEqual(['owner']);
    expect(owner.body.verified).toBe(true);
  });

  it("lists a validator's take and its own staking share", async () => {
    const validator = simulation.validators[0]!;
    const { body } = await get<Receipt>(`/v1/accounts/${validator}/receipts/1`);
    expect(body.items.map((i) => i.payout.kind)).toEqual(['validating', 'staking']);
    expect(body.items[0]?.weights).toHaveLength(6);
    expect(body.verified).toBe(true);
  });

  it('says why there is no receipt', async () => {
    const unsettled = await get<ErrorJson>(`/v1/accounts/${simulation.miners[0]}/receipts/9`);
    expect([unsettled.status, unsettled.body.code]).toEqual([404, 'EPOCH_NOT_FOUND']);
    const nothing = await get<ErrorJson>(`/v1/accounts/0x${'cd'.repeat(20)}/receipts/1`);
    expect([nothing.status, nothing.body.code]).toEqual([404, 'RECEIPT_NOT_FOUND']);
  });
});

describe('epochs', () => {
  it('pages settled epochs newest first', async () => {
    const first = await get<EpochList>('/v1/epochs?limit=3');
    expect(first.body.epochs.map((e) => e.epoch)).toEqual([3, 2, 1]);
    expect(first.body.nextBefore).toBe(1);
    expect(first.body.epochs.every((e) => e.referenceMatches)).toBe(true);
  });

  it('gives the split, per-uid payouts and the weights each validator set', async () => {
    const { status, body } = await get<EpochDetail>('/v1/epochs/1');
    expect(status).toBe(200);
    expect(body.split.miners).toBeCloseTo(0.41, 6);
    expect(body.split.validators).toBeCloseTo(0.41, 6);
    expect(body.split.owner).toBeCloseTo(0.18, 6);
    expect(body.miners).toHaveLength(6);
    expect(body.miners.reduce((sum, m) => sum + BigInt(m.amount), 0n).toString()).toBe(body.minerTotal);
    expect(body.validators.map((v) => v.weights.uids.length)).toEqual([6, 6]);
    expect(body.referenceMismatches).toEqual([]);
    const missing = await get<ErrorJson>('/v1/epochs/4');
    expect([missing.status, missing.body.code]).toEqual([404, 'EPOCH_NOT_FOUND']);
  });
});

describe('windows', () => {
  it("gives a window's commitments, the aggregate to follow and the validator's held-out loss", async () => {
    const { status, body } = await get<Window>('/v1/windows/3');
    expect(status).toBe(200);
    expect(body).toMatchObject({ window: 3, epoch: 1, startBlock: 130, deadlineBlock: 142, complete: true });
    expect(body.commitments).toHaveLength(6);
    expect(body.aggregates).toHaveLength(1);
    expect(body.aggregates[0]?.selected).toBe(true);
    expect(body.aggregationSet?.uids).toEqual(body.aggregates[0]?.uids);
    expect(body.heldOutLoss).toBeCloseTo(simulation.heldOutLoss.get(3)!, 5);
    expect(body.metrics.heldOutLoss).toBe(body.heldOutLoss);
    expect(body.sample).toEqual({ prompt: 'The', text: ' jury said' });
    expect(body.metrics).not.toHaveProperty('sample');
  });

  it('serves only a sample of the shape a validator writes: anything else reads as none', async () => {
    const key = windowMetricsKey({ subnet: evmSubnetId(deployment), window: 2 });
    for (const stored of [
      'not json',
      JSON.stringify({ prompt: 'The', text: 7 }),
      JSON.stringify({ prompt: 'The', text: 'x', extra: true }),
      JSON.stringify({ prompt: 'The', text: 'x'.repeat(5000) }),
    ]) {
      await redis.redis.hset(key, windowSampleField, stored);
      const { body } = await get<Window>('/v1/windows/2');
      expect(body.sample).toBeNull();
    }
    await redis.redis.hdel(key, windowSampleField);
  });

  it('lists windows with their held-out loss, and refuses windows that have not started', async () => {
    const { body } = await get<WindowList>('/v1/windows?limit=100');
    expect(body.windows.map((w) => w.window)).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    expect(body.windows.every((w) => w.commitments === 6 && w.heldOutLoss !== null)).toBe(true);
    expect(body.windows.find((w) => w.window === 3)?.sample).toEqual({ prompt: 'The', text: ' jury said' });
    expect(body.windows.find((w) => w.window === 4)?.sample).toBeNull();
    const future = await get<ErrorJson>('/v1/windows/1000');
    expect([future.status, future.body.code]).toEqual([404, 'WINDOW_NOT_STARTED']);
  });
});

describe('HTTP behaviour', () => {
  it('sends Cache-Control and a weak ETag, and answers 304 when it still matches', async () => {
    const url = `/v1/epochs/1`;
    const first = await get(url);
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await inject(api.app, { url, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const errors = await get('/v1/epochs/99');
    expect(errors.headers['cache-control']).toBe('no-store');
  });

  it('allows cross-origin GETs', async () => {
    const preflight = await inject(api.app, {
      method: 'OPTIONS',
      url: '/v1/subnet',
      headers: { origin: 'https://wallet.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('GET');
    const simple = await get('/v1/subnet', { origin: 'https://wallet.example' });
    expect(simple.headers['access-control-allow-origin']).toBe('*');
  });

  it('limits requests per client and says when to retry', async () => {
    const limited = await createApiServer({
      redis: redis.redis,
      deployment,
      rateLimit: { max: 2, timeWindowMs: 60_000 },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await inject(limited.app, { url: '/v1/epochs' })).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await inject(limited.app, { url: '/v1/epochs' });
      expect(refused.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await inject(limited.app, { url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('answers INDEX_NOT_READY before anything is indexed', async () => {
    const empty = await createApiServer({
      redis: redis.redis,
      deployment: simulatedDeployment({ name: 'empty' }),
      rateLimit: false,
    });
    try {
      const response = await inject(empty.app, { url: '/v1/neurons' });
      expect([response.statusCode, response.json().code]).toEqual([503, 'INDEX_NOT_READY']);
      const health = await inject(empty.app, { url: '/v1/health' });
      expect(health.json()).toMatchObject({
        status: 'degraded',
        indexedBlock: null,
        chain: 'not configured',
      });
    } finally {
      await empty.close();
    }
  });

  it('answers STORE_UNAVAILABLE when Redis cannot be reached', async () => {
    const port = await freePort();
    const down = new Redis(`redis://127.0.0.1:${port}`, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    down.on('error', () => undefined);
    const server = await createApiServer({ redis: down, deployment, rateLimit: false });
    try {
      const response = await inject(server.app, { url: '/v1/health' });
      expect([response.statusCode, response.json().code]).toEqual([503, 'STORE_UNAVAILABLE']);
    } finally {
      await server.close();
      down.disconnect();
    }
  });

  it('serves the dashboard with a policy that lets nothing external load', async () => {
    const response = await inject(api.app, { url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const urls = response.body.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
    expect(urls.filter((url) => url !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(response.body).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });
});
