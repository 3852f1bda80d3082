import { simulateSubnetEvents } from '../devtools/simulateSubnetEvents.js';
import type { SimulatedSubnet } from '../devtools/simulateSubnetEvents.js';
import { simulatedDeployment } from '../devtools/simulatedDeployment.js';
import { seedSimulatedIndex } from '../devtools/seedSimulatedIndex.js';
import { inject } from '../_test/inject.js';
import { serveFiles } from '../_test/serveFiles.js';
import type { ServedFiles } from '../_test/serveFiles.js';
import { startTestRedis } from '../_test/startTestRedis.js';
import type { TestRedis } from '../_test/startTestRedis.js';
import { verdictsFixture } from '../_test/verdictsFixture.js';
import type { FixtureAggregate } from '../_test/verdictsFixture.js';
import { createVerdictsReader, verdictsRouter } from '../reader/createVerdictsReader.js';
import type { UidVerdict, WindowVerdictsInfo } from '../schemas/verdicts.js';
import { createApiServer } from './createApiServer.js';
import type { ApiServer } from './createApiServer.js';

// The EVM API over a simulated index whose aggregates name model files on a real loopback
// HTTP server; beside them lie verdicts files written by core's encoder. Windows 0–7: window 6
// has no verdicts file, window 5's was tampered with after signing, window 4's belongs to
// another model; the others are published.

const deployment = simulatedDeployment({
  params: { blocksPerWindow: 10, windowsPerEpoch: 2, deadlineGraceBlocks: 2 },
});

let redis: TestRedis;
let files: ServedFiles;
let simulation: SimulatedSubnet;
let head: number;
let api: ApiServer;
let defaultApi: ApiServer;
const expected = new Map<number, { validator: string; verdicts: UidVerdict[] }>();

beforeAll(async () => {
  redis = await startTestRedis();
  files = await serveFiles();
  simulation = simulateSubnetEvents({
    subnet: deployment.subnet,
    params: deployment.params,
    miners: 4,
    validators: 2,
    delegators: 2,
    epochs: 4,
    seed: 11,
    aggregateUri: (window) => `${files.url}/models/w${window}.ckpt`,
  });
  await seedSimulatedIndex({ redis: redis.redis, deployment, simulation, batchBlocks: 50 });
  head = simulation.lastBlock + 3;
  for (const event of simulation.events) {
    if (event.name !== 'AggregatePublished') continue;
    const window = Number(event.args.window);
    const aggregate: FixtureAggregate = {
      window,
      validator: event.args.validator as `0x${string}`,
      modelHash: event.args.aggregateHash as `0x${string}`,
      uids: event.args.uids.map(Number),
    };
    const miners = simulation.events
      .filter((e) => e.name === 'Committed' && Number(e.args.window) === window)
      .map((e) => Number((e.args as { uid: bigint }).uid));
    const path = `/models/w${window}.verdicts.json`;
    if (window === 6) continue;
    if (window === 5) {
      const { bytes } = verdictsFixture({ aggregate, miners });
      const text = new TextDecoder().decode(bytes).replace(/"lossGain":0\.\d+/, '"lossGain":9');
      files.set(path, new TextEncoder().encode(text));
      continue;
    }
    if (window === 4) {
      files.set(
        path,
        verdictsFixture({ aggregate: { ...aggregate, modelHash: `0x${'00'.repeat(32)}` }, miners }).bytes,
      );
      continue;
    }
    const { bytes, verdicts } = verdictsFixture({ aggregate, miners });
    files.set(path, bytes);
    expected.set(window, { validator: aggregate.validator, verdicts });
  }
  const common = {
    redis: redis.redis,
    deployment,
    chain: { blockNumber: async () => head },
    rateLimit: false as const,
  };
  api = await createApiServer({
    ...common,
    verdicts: createVerdictsReader({ router: verdictsRouter({ privateAddresses: true }) }),
  });
  defaultApi = await createApiServer(common);
});
afterAll(async () => {
  await api?.close();
  await defaultApi?.close();
  await files?.close();
  await redis?.stop();
});

const get = async <T>(url: string, server: ApiServer = api) => {
  const response = await inject(server.app, { method: 'GET', url });
  return { status: response.statusCode, body: response.json() as T };
};
type WindowBody = { window: number; aggregates: Array<{ selected: boolean }>; verdicts: WindowVerdictsInfo };
type NeuronBody = {
  uid: number;
  recentVerdicts: Array<{
    window: number;
    state: string;
    validator: string | null;
    verdict: UidVerdict | null;
  }>;
};

describe('verdicts in the EVM API', () => {
  it('the fixture publishes windows 0–3 and 7, and each window has one aggregate', () => {
    expect([...expected.keys()].sort()).toEqual([0, 1, 2, 3, 7]);
  });

  it("gives a window the verdicts its selected aggregate's validator published", async () => {
    const { status, body } = await get<WindowBody>('/v1/windows/3');
    expect(status).toBe(200);
    expect(body.aggregates.filter((a) => a.selected)).toHaveLength(1);
    expect(body.verdicts).toEqual({
      state: 'published',
      validator: expected.get(3)!.validator,
      uri: `${files.url}/models/w3.verdicts.json`,
      error: null,
      verdicts: expected.get(3)!.verdicts,
    });
    expect(body.verdicts.verdicts.length).toBe(4);
  });

  it('says unavailable for a missing file, a bad digest and a file of another aggregate', async () => {
    const missing = await get<WindowBody>('/v1/windows/6');
    expect(missing.body.verdicts).toMatchObject({ state: 'unavailable', verdicts: [] });
    const tampered = await get<WindowBody>('/v1/windows/5');
    expect(tampered.body.verdicts).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(tampered.body.verdicts.error).toMatch(/digest/);
    const other = await get<WindowBody>('/v1/windows/4');
    expect(other.body.verdicts).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(other.body.verdicts.error).toMatch(/another aggregate/);
  });

  it('says no-aggregate for a started window nobody published an aggregate for', async () => {
    const { status, body } = await get<WindowBody & { message?: string }>('/v1/windows/8');
    // Window 8 has started (the head is past window 7's deadline) but holds nothing.
    expect(status).toBe(200);
    expect(body.aggregates).toEqual([]);
    expect(body.verdicts).toEqual({
      state: 'no-aggregate',
      validator: null,
      uri: null,
      error: null,
      verdicts: [],
    });
  });

  it('gives a neuron its verdict in each of the 5 latest windows, newest first', async () => {
    const uid = expected.get(7)!.verdicts[0]!.uid;
    const { status, body } = await get<NeuronBody>(`/v1/neurons/${uid}`);
    expect(status).toBe(200);
    expect(body.recentVerdicts.map((v) => [v.window, v.state])).toEqual([
      [7, 'published'],
      [6, 'unavailable'],
      [5, 'unavailable'],
      [4, 'unavailable'],
      [3, 'published'],
    ]);
    expect(body.recentVerdicts[0]).toEqual({
      window: 7,
      state: 'published',
      validator: expected.get(7)!.validator,
      verdict: expected.get(7)!.verdicts.find((v) => v.uid === uid),
    });
    expect(body.recentVerdicts[1]!.verdict).toBeNull();
  });

  it('reads each file once, however many requests ask for it', async () => {
    const before = files.requests('/models/w2.verdicts.json');
    await Promise.all([1, 2, 3].map(() => get('/v1/windows/2')));
    await get('/v1/windows/2');
    expect(files.requests('/models/w2.verdicts.json') - before).toBeLessThanOrEqual(1);
    expect(files.requests('/models/w2.verdicts.json')).toBe(1);
  });

  it('refuses to read verdicts on a loopback address by default', async () => {
    const before = files.requests('/models/w1.verdicts.json');
    const { body } = await get<WindowBody>('/v1/windows/1', defaultApi);
    expect(body.verdicts).toMatchObject({ state: 'unavailable', verdicts: [] });
    expect(files.requests('/models/w1.verdicts.json')).toBe(before);
  });

  it('documents the verdicts fields in the OpenAPI document', async () => {
    const { body } = await get<{
      paths: Record<string, { get: { responses: Record<string, { content: unknown }> } }>;
    }>('/docs/json');
    const text = JSON.stringify(body.paths['/v1/windows/{window}']?.get.responses['200']);
    expect(text).toContain('verdicts');
    expect(JSON.stringify(body.paths['/v1/neurons/{uid}']?.get.responses['200'])).toContain('recentVerdicts');
  });
});
