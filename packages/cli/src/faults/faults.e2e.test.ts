import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { hyperparameterPresets, parseHyperparameters, windowOfBlock } from '@tessera/core';
import { defaultEvaluationQueueName, validatorKeys } from '@tessera/validator';
import type { EvaluationJobData, EvaluationResult, ValidatorKeys } from '@tessera/validator';
import { createRoleProcesses, killHard, repositoryRoot } from '../_test/roleProcesses.js';
import type { Role } from '../_test/roleProcesses.js';
import { validatorRecords } from '../_test/validatorRecords.js';
import type { ValidatorRecords } from '../_test/validatorRecords.js';
import { setupTestDevnet } from '../_test/setupTestDevnet.js';
import type { DevnetChain } from '../devnet/setupDevnetChain.js';
import { freePort, startRedisServer, startTcpProxy } from '@tessera/devtools';
import type { RedisServer, TcpProxy } from '@tessera/devtools';

// Faults a subnet must ride out, each on real processes: every role is its own `tessera`
// process (kill -9 means the real thing), the RPC node and a miner's update server sit
// behind TCP proxies that the test cuts, and Redis persists to an append-only file and is
// restarted on its port. The faults come one after another on one running subnet; each
// step waits for the subnet to be healthy again before the next. Every role's log ends up in
// test-output/faults/.

const hyperparameters = parseHyperparameters({
  ...hyperparameterPresets.tiny,
  blocksPerWindow: 20,
  windowsPerEpoch: 2,
});
const lockMs = 3_000;
const minute = 60_000;

const processes = createRoleProcesses();
const { waitFor } = processes;
const startRole = (name: string, args: string[]): Role => processes.start({ name, args });

let stateDir: string;
let redisDir: string;
let devnet: DevnetChain;
let redisServer: RedisServer;
let rpcProxy: TcpProxy;
let storeProxy: TcpProxy;
let redis: Redis;
let queue: Queue<EvaluationJobData, EvaluationResult>;
let keys: ValidatorKeys;
let validatorArgs: string[];
let workerArgs: string[];
let validator: Role;
const workers: Role[] = [];
const miners: Role[] = [];
let minerUids: number[];
/** The miner whose updates are served over HTTP (behind `storeProxy`). */
let servedUid: number;

let records: ValidatorRecords;
const appliedWindows = () => records.appliedWindows();
const verdicts = (window: number) => records.verdicts(window);

async function headWindow(): Promise<number> {
  return windowOfBlock({
    // The devnet's own clients reach anvil directly, not through the proxy.
    block: await devnet.validators[0]!.chain.blockNumber(),
    startBlock: devnet.deployment.params.startBlock,
    blocksPerWindow: hyperparameters.blocksPerWindow,
  });
}

const appliedWindowWhere: ValidatorRecords['appliedWindowWhere'] = (...args) =>
  records.appliedWindowWhere(...args);

const allScored = (v: Map<number, EvaluationResult>) =>
  minerUids.every((uid) => v.get(uid)?.status === 'scored');
/**
 * Downloaded, decoded and measured: scored, or refused on its losses (the proof of
 * assignment can refuse an honest update now and then; faults are about the former).
 */
const evaluated = (result: EvaluationResult | undefined) => result?.losses !== undefined;
const allEvaluated = (v: Map<number, EvaluationResult>) => minerUids.every((uid) => evaluated(v.get(uid)));

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'tessera-faults-'));
  redisDir = mkdtempSync(join(tmpdir(), 'tessera-faults-redis-'));
  const setup = await setupTestDevnet({ hyperparameters, miners: 2, stateDir });
  devnet = setup.devnet;
  const { cacheDir } = setup;
  // The roles use a Redis of their own (not the devnet's) that persists, as a validator's should.
  redisServer = await startRedisServer({ dir: redisDir, appendOnly: true });
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  rpcProxy = await startTcpProxy({
    target: { host: '127.0.0.1', port: Number(new URL(devnet.anvil.rpcUrl).port) },
  });
  const rpcUrl = `http://127.0.0.1:${rpcProxy.port}`;
  const servePort = await freePort();
  storeProxy = await startTcpProxy({ target: { host: '127.0.0.1', port: servePort } });

  const v = devnet.validators[0]!;
  keys = validatorKeys({ subnet: v.chain.subnetId, hotkey: v.chain.address });
  queue = new Queue(defaultEvaluationQueueName, { connection: redis, prefix: keys.prefix });
  records = validatorRecords({ redis, keys, waitFor });
  const common = [
    '--run',
    devnet.runPath,
    '--cache-dir',
    cacheDir,
    '--backend',
    'wasm',
    '--metrics-port',
    '0',
    '--log-format',
    'json',
    // Every role on this machine: file:// URIs and loopback addresses are the participants'.
    '--read-file-uris',
    '--no-block-private-addresses',
  ];
  const evaluation = [
    ...['--redis-url', redisServer.url, '--store-dir', join(stateDir, 'validator', 'store')],
    ...['--lock-ms', String(lockMs), '--fetch-timeout-ms', '3000'],
  ];
  validatorArgs = [
    'validator',
    ...['--rpc-url', rpcUrl, '--deployment', devnet.deploymentPath, '--private-key', v.key],
    ...['--state-dir', join(stateDir, 'validator'), '--workers', '0'],
    ...evaluation,
    ...common,
  ];
  workerArgs = ['worker', '--prefix', keys.prefix, ...evaluation, ...common];

  minerUids = devnet.miners.map((m) => m.uid);
  servedUid = devnet.miners[1]!.uid;
  for (const m of devnet.miners) {
    const served = m.uid === servedUid;
    miners.push(
      startRole(`miner-${m.uid}`, [
        'miner',
        ...['--rpc-url', rpcUrl, '--deployment', devnet.deploymentPath, '--private-key', m.key],
        ...[
          '--store-dir',
          join(stateDir, `miner-${m.uid}`, 'updates'),
          '--state-dir',
          join(stateDir, `miner-${m.uid}`),
        ],
        ...(served
          ? [
              '--store',
              `http://127.0.0.1:${servePort}`,
              '--public-url',
              `http://127.0.0.1:${storeProxy.port}`,
            ]
          : []),
        ...common,
      ]),
    );
  }
  validator = startRole('validator', validatorArgs);
  workers.push(startRole('worker-1', workerArgs), startRole('worker-2', workerArgs));
}, 3 * minute);

afterAll(async () => {
  await processes.stopAll({ logFolder: join(repositoryRoot, 'test-output', 'faults') });
  await queue?.close();
  redis?.disconnect();
  await rpcProxy?.close();
  await storeProxy?.close();
  await redisServer?.stop();
  await devnet?.stop();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(redisDir, { recursive: true, force: true });
}, minute);

describe('faults', () => {
  let firstWindow: number;

  it(
    'scores both miners before any fault',
    async () => {
      firstWindow = await appliedWindowWhere('a window with both miners scored', -1, allScored, 4 * minute);
    },
    5 * minute,
  );

  it(
    'a worker killed with SIGKILL in the middle of a job: another worker takes the job and the miner is scored',
    async () => {
      for (let attempt = 1; ; attempt++) {
        const { job, worker } = await waitFor(
          'a job in a worker’s hands',
          async () => {
            for (const job of await queue.getActive()) {
              const pid = Number(job.processedBy?.split(':').at(-1));
              const worker = workers.find((w) => w.alive() && w.child.pid === pid);
              if (worker) return { job, worker };
            }
            return undefined;
          },
          3 * minute,
          20,
        );
        await killHard(worker);
        workers.push(startRole(`worker-${workers.length + 1}`, workerArgs));
        const { window, uid } = job.data;
        // The kill can land just after the job finished; then try the next one.
        const finishedOn = (await queue.getJob(job.id as string))?.finishedOn;
        if (finishedOn !== undefined && attempt < 5) continue;

        await waitFor(
          `window ${window} applied`,
          async () => ((await appliedWindows()).includes(window) ? true : undefined),
          2 * minute,
        );
        expect(evaluated((await verdicts(window)).get(uid))).toBe(true);
        const retried = await queue.getJob(job.id as string);
        expect(retried?.finishedOn).toBeDefined();
        expect(retried?.processedBy).toBeDefined();
        expect(retried?.processedBy).not.toBe(job.processedBy);
        return;
      }
    },
    8 * minute,
  );

  it(
    'a validator killed with SIGKILL mid-window resumes that window after a restart',
    async () => {
      const since = validator.lines.length;
      const evaluating = await waitFor(
        'the validator enqueueing a window’s evaluations',
        async () => {
          const line = validator.lines.slice(since).find((l) => l.msg === 'evaluating');
          return line === undefined ? undefined : Number(line.window);
        },
        2 * minute,
        20,
      );
      await killHard(validator);
      expect((await appliedWindows()).includes(evaluating)).toBe(false);
      validator = startRole('validator (restarted)', validatorArgs);
      await waitFor(
        `window ${evaluating} applied after the restart`,
        async () => ((await appliedWindows()).includes(evaluating) ? true : undefined),
        2 * minute,
      );
      const resumed = validator.lines.find((l) => l.msg === 'resuming');
      expect(resumed?.window).toBe(evaluating);
      expect(allEvaluated(await verdicts(evaluating))).toBe(true);
    },
    5 * minute,
  );

  it(
    'Redis restarted: the averages and the guards survive, and windows go on being scored',
    async () => {
      const scores = await redis.hgetall(keys.scores);
      const applied = await appliedWindows();
      expect(Object.keys(scores).length).toBeGreaterThan(0);
      const port = redisServer.port;
      await redisServer.stop();
      await delay(3_000);
      redisServer = await startRedisServer({ dir: redisDir, appendOnly: true, port });

      const after = await appliedWindows();
      expect(after.slice(0, applied.length)).toEqual(applied);
      for (const uid of Object.keys(scores)) expect(await redis.hexists(keys.scores, uid)).toBe(1);
      await appliedWindowWhere('a window evaluated after the restart', applied.at(-1) ?? -1, allEvaluated);
      expect(validator.alive()).toBe(true);
    },
    5 * minute,
  );

  it(
    'the RPC node unreachable for 30 s: miners and validator back off and recover',
    async () => {
      const since = processes.roles.map((role) => role.lines.length);
      await rpcProxy.cut();
      await delay(30_000);
      await rpcProxy.restore();
      const restoredIn = await headWindow();
      for (const role of [validator, ...miners]) expect(role.alive()).toBe(true);
      // They noticed: each logged failed chain calls during the outage.
      for (const role of [validator, ...miners]) {
        const start = since[processes.roles.indexOf(role)] ?? 0;
        const failures = role.lines.slice(start).filter((l) => l.level === 'warn' || l.level === 'error');
        expect({ role: role.name, noticed: failures.length > 0 }).toEqual({ role: role.name, noticed: true });
      }
      await appliedWindowWhere(
        'a window after the outage with both miners evaluated',
        restoredIn,
        allEvaluated,
      );
    },
    6 * minute,
  );

  it(
    'a miner’s update server down: its updates count as missing and everyone else goes on',
    async () => {
      const before = (await appliedWindows()).at(-1) ?? -1;
      await storeProxy.cut();
      const down = await appliedWindowWhere(
        'a window with the served miner missing',
        before,
        (v) => v.get(servedUid)?.reason?.startsWith('missing') === true,
      );
      const others = minerUids.filter((uid) => uid !== servedUid);
      const v = await verdicts(down);
      for (const uid of others) expect(evaluated(v.get(uid))).toBe(true);
      await storeProxy.restore();
      await appliedWindowWhere('a window with the served miner evaluated again', down, allEvaluated);
    },
    5 * minute,
  );

  it('lost no window and never set weights twice', async () => {
    const last = (await records.lastWindow()) ?? -1;
    const applied = await appliedWindows();
    // Every window from the first scored one on was applied, except at most the ones the
    // RPC outage made too late to take part in.
    const missed = [];
    for (let w = firstWindow; w <= last; w++) if (!applied.includes(w)) missed.push(w);
    expect(missed.length).toBeLessThanOrEqual(2);

    const subnet = devnet.validators[0]!.chain.subnet;
    const events = await subnet.queryFilter(subnet.getEvent('WeightsCommitted'), 0);
    const claimed = await redis.scard(keys.weightsEpochs);
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events.length).toBeLessThanOrEqual(claimed);
    for (const role of [validator, ...miners]) expect(role.alive()).toBe(true);
  });
});
