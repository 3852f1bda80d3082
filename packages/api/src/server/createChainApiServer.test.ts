import { chainUnits, RetryableChainError } from '@tessera/core';
import { createMemoryChain } from '@tessera/core/testing';
import { inject } from '../_test/inject.js';
import { serveFiles } from '../_test/serveFiles.js';
import { verdictsFixture } from '../_test/verdictsFixture.js';
import { createVerdictsReader, verdictsRouter } from '../reader/createVerdictsReader.js';
import type { VerdictsReader } from '../reader/createVerdictsReader.js';
import { createChainApiServer } from './createChainApiServer.js';

const timing = { startBlock: 10, blocksPerWindow: 5, windowsPerEpoch: 3, deadlineGraceBlocks: 1 };

async function setup(parameters: { verdicts?: VerdictsReader } = {}) {
  const chain = createMemoryChain({ timing, validators: 1, miners: 2, head: 27 });
  const api = await createChainApiServer({
    chain,
    unit: chainUnits.subtensor,
    netuid: 2,
    rateLimit: false,
    metagraphCacheMs: 0,
    ...parameters,
  });
  const get = async (url: string) => {
    const response = await inject(api.app, { url });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  return { chain, api, get };
}

describe('the API on a chain without the EVM index', () => {
  it('serves the subnet: clock from the chain timing, totals from the metagraph', async () => {
    const { api, get } = await setup();
    const { status, body } = await get('/v1/subnet');
    expect(status).toBe(200);
    // Block 27: window (27 - 10) / 5 = 3, epoch 3 / 3 = 1; one validator of stake 1000 (the fake's preload).
    expect(body).toEqual({
      chain: 'memory',
      subnetId: 'memory:subnet',
      netuid: 2,
      unit: { symbol: 'TAO', decimals: 9, base: 'rao' },
      timing,
      clock: { headBlock: 27, currentWindow: 3, currentEpoch: 1 },
      totals: { neurons: 3, validators: 1, miners: 2, stake: '1000', emissionPerTempo: null },
    });
    await api.close();
  });

  it('serves neurons and one neuron, by role', async () => {
    const { api, get, chain } = await setup();
    const all = await get('/v1/neurons');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ asOfBlock: 27, count: 3 });
    const neurons = all.body.neurons as Array<Record<string, unknown>>;
    expect(neurons.map((n) => [n.uid, n.role, n.stake, n.emission])).toEqual([
      [0, 'validator', '1000', null],
      [1, 'miner', '0', null],
      [2, 'miner', '0', null],
    ]);
    expect(neurons[1]!.address).toBe(chain.account(1));
    expect((await get('/v1/neurons?role=validator')).body).toMatchObject({ count: 1 });
    expect((await get('/v1/neurons/2')).body).toMatchObject({
      uid: 2,
      role: 'miner',
      validatorPermit: false,
    });
    const missing = await get('/v1/neurons/9');
    expect([missing.status, missing.body.code]).toEqual([404, 'NEURON_NOT_FOUND']);
    await api.close();
  });

  it("serves an account's rewards from the chain, with its neuron", async () => {
    const { api, get, chain } = await setup();
    chain.credit({ address: chain.account(1), amount: 1_500_000_000n });
    const { status, body } = await get(`/v1/accounts/${chain.account(1).toLowerCase()}/rewards`);
    expect(status).toBe(200);
    expect(body).toEqual({
      address: chain.account(1),
      asOfBlock: 27,
      unit: { symbol: 'TAO', decimals: 9, base: 'rao' },
      neuron: { uid: 1, role: 'miner', stake: '0', incentive: 0, dividends: 0, emission: null },
      claimable: '1500000000',
      claimed: '0',
    });
    const stranger = await get(`/v1/accounts/0x${'ab'.repeat(20)}/rewards`);
    expect(stranger.body).toMatchObject({ neuron: null, claimable: '0' });
    const bad = await get('/v1/accounts/not-an-address/rewards');
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_PARAMETER']);
    await api.close();
  });

  it('answers ROUTE_NOT_FOUND for what needs the EVM index, saying which routes it serves', async () => {
    const { api, get } = await setup();
    for (const url of ['/v1/epochs', '/v1/windows', `/v1/accounts/0x${'ab'.repeat(20)}/receipts/0`, '/']) {
      const { status, body } = await get(url);
      expect([url, status, body.code]).toEqual([url, 404, 'ROUTE_NOT_FOUND']);
      expect(body.message).toContain('/v1/accounts/{address}/rewards');
    }
    await api.close();
  });

  it('answers CHAIN_UNAVAILABLE when the chain cannot be read, and health says degraded', async () => {
    const { api, get, chain } = await setup();
    const down = new RetryableChainError('connection', 'node down');
    chain.failNext({ operation: 'metagraph', error: down });
    const { status, body } = await get('/v1/neurons');
    expect([status, body.code]).toEqual([503, 'CHAIN_UNAVAILABLE']);
    chain.failNext({ operation: 'blockNumber', error: down });
    expect((await get('/v1/health')).body).toEqual({
      status: 'degraded',
      headBlock: null,
      chain: 'unreachable',
    });
    expect((await get('/v1/health')).body).toEqual({ status: 'ok', headBlock: 27, chain: 'ok' });
    await api.close();
  });

  it('documents its routes in the OpenAPI document', async () => {
    const { api, get } = await setup();
    const { body } = await get('/v1/openapi.json');
    expect(Object.keys(body.paths as object).sort()).toEqual([
      '/v1/accounts/{address}/rewards',
      '/v1/health',
      '/v1/neurons',
      '/v1/neurons/{uid}',
      '/v1/subnet',
      '/v1/windows/{window}',
    ]);
    await api.close();
  });
});

describe('verdicts on a chain without the EVM index', () => {
  const modelHash = `0x${'5e'.repeat(32)}` as const;
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  // Block 27 is in window 3: windows 2, 1 and 0 have passed. Window 2's lead aggregate has its
  // verdicts file published on a real HTTP server, window 1's is missing, window 0 has none.
  async function setupVerdicts(parameters: { verdicts?: 'loopback' | 'default' } = {}) {
    const files = await serveFiles();
    const verdicts =
      parameters.verdicts === 'default'
        ? undefined
        : createVerdictsReader({ router: verdictsRouter({ privateAddresses: true }) });
    const context = await setup(verdicts ? { verdicts } : {});
    const { chain } = context;
    const validator = chain.account(0);
    const { bytes } = verdictsFixture({
      aggregate: { window: 2, validator, modelHash, uids: [2] },
      miners: [1, 2],
    });
    files.set('/w2.verdicts.json', bytes);
    chain.addAggregate({ window: 2, uids: [2], modelHash, uri: `${files.url}/w2.ckpt`, validatorUid: 0 });
    chain.addAggregate({
      window: 1,
      uids: [1],
      modelHash,
      uri: `${files.url}/w1.ckpt`,
      validatorUid: 0,
      block: 22,
    });
    cleanups.push(
      () => context.api.close(),
      () => files.close(),
    );
    return { ...context, files, validator };
  }

  it("serves a window's published verdicts, checked against its lead aggregate", async () => {
    const { get, files, validator } = await setupVerdicts();
    const { status, body } = await get('/v1/windows/2');
    expect(status).toBe(200);
    expect(body).toEqual({
      window: 2,
      verdicts: {
        state: 'published',
        validator,
        uri: `${files.url}/w2.verdicts.json`,
        error: null,
        verdicts: [
          {
            uid: 1,
            status: 'rejected',
            reason: 'missing:late',
            score: 0,
            lossGain: null,
            inAggregate: false,
          },
          { uid: 2, status: 'scored', reason: null, score: 0.2, lossGain: 0.02, inAggregate: true },
        ],
      },
    });
  });

  it('says unavailable for a missing file, no-aggregate without an aggregate, and refuses future windows', async () => {
    const { get } = await setupVerdicts();
    const missing = await get('/v1/windows/1');
    expect(missing.status).toBe(200);
    expect(missing.body.verdicts).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect((missing.body.verdicts as { error: string }).error).not.toBe('');
    expect((await get('/v1/windows/0')).body.verdicts).toEqual({
      state: 'no-aggregate',
      validator: null,
      uri: null,
      error: null,
      verdicts: [],
    });
    const future = await get('/v1/windows/4');
    expect([future.status, future.body.code]).toEqual([404, 'WINDOW_NOT_STARTED']);
  });

  it('gives a neuron its verdict in each window before the current one, newest first', async () => {
    const { get, validator } = await setupVerdicts();
    const { status, body } = await get('/v1/neurons/2');
    expect(status).toBe(200);
    expect(body).toMatchObject({ uid: 2, role: 'miner' });
    expect(body.recentVerdicts).toEqual([
      {
        window: 2,
        state: 'published',
        validator,
        verdict: { uid: 2, status: 'scored', reason: null, score: 0.2, lossGain: 0.02, inAggregate: true },
      },
      { window: 1, state: 'unavailable', validator, verdict: null },
      { window: 0, state: 'no-aggregate', validator: null, verdict: null },
    ]);
  });

  it('does not read a verdicts file on a loopback address unless allowed', async () => {
    const { get, files } = await setupVerdicts({ verdicts: 'default' });
    const { body } = await get('/v1/windows/2');
    expect(body.verdicts).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(files.requests('/w2.verdicts.json')).toBe(0);
  });
});
