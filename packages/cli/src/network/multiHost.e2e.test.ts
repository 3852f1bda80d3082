import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  createCorpus,
  getModelPreset,
  hyperparameterPresets,
  parseHyperparameters,
  silentLogger,
  windowMetricsKey,
} from '@tessera/core';
import { defaultEvaluationQueueName, validatorKeys } from '@tessera/validator';
import type { EvaluationJobData, EvaluationResult, ValidatorKeys } from '@tessera/validator';
import { createVirtualNetwork, startAnvil, startRedisServer, startS3Server } from '@tessera/devtools';
import type { Anvil, RedisServer, S3Server, VirtualHost, VirtualNetwork } from '@tessera/devtools';
import { createRoleProcesses, killHard, repositoryRoot } from '../_test/roleProcesses.js';
import type { Role } from '../_test/roleProcesses.js';
import { validatorRecords } from '../_test/validatorRecords.js';
import type { ValidatorRecords } from '../_test/validatorRecords.js';
import { devnetAccountCount, setupDevnetChain } from '../devnet/setupDevnetChain.js';
import type { DevnetChain } from '../devnet/setupDevnetChain.js';

// The subnet across hosts, as operators would run it on separate machines: every host is a
// network namespace of its own (its own loopback and ports) on one virtual LAN, with its own
// state folder, and the roles reach each other only through the URLs they are given. A chain
// host runs anvil, a storage host s3rver, a Redis host redis-server; the validator (no
// in-process workers) publishes checkpoints and model files to S3; two worker hosts evaluate;
// two miners serve their updates from their own HTTP servers and one puts them in S3. A
// fourth miner joins late and must catch up from the published checkpoint; one worker host
// loses its link in the middle of a job. This test process is the operator: it deploys the
// contracts over the network and reads chain and Redis to check.
//
// Network namespaces need root (CI runs as root). Without them the suite fails, naming why:
// a multi-host test that did not run must not pass.

const hyperparameters = parseHyperparameters({
  ...hyperparameterPresets.tiny,
  blocksPerWindow: 24,
  windowsPerEpoch: 3,
  checkpointEveryWindows: 2,
});
const minute = 60_000;
const lockMs = 3_000;
const hostNames = [
  'chain',
  'storage',
  'redis',
  'validator',
  'worker1',
  'worker2',
  'miner1',
  'miner2',
  'miner3',
  'late',
] as const;
type HostName = (typeof hostNames)[number];

const processes = createRoleProcesses();
let net: VirtualNetwork<HostName>;
let anvil: Anvil;
let redisServer: RedisServer;
let s3: S3Server;
let devnet: DevnetChain;
let redis: Redis;
let keys: ValidatorKeys;
let records: ValidatorRecords;
let queue: Queue<EvaluationJobData, EvaluationResult>;
let driverDir: string;
const hostDirs: string[] = [];
const workers: Role[] = [];
let lateMiner: Role | undefined;
let lateStartedAt = 0;
/** Uids of the miners running from the start, and of the late one. */
let earlyUids: number[];
let lateUid: number;

/** A host's own folder, holding its copies of the run config, the deployment and the tokenized corpus. */
function hostFolder(name: HostName): string {
  const dir = mkdtempSync(join(tmpdir(), `tessera-host-${name}-`));
  hostDirs.push(dir);
  cpSync(devnet.runPath, join(dir, 'run.json'));
  cpSync(devnet.deploymentPath, join(dir, 'deployment.json'));
  cpSync(join(driverDir, 'cache'), join(dir, 'cache'), { recursive: true });
  return dir;
}

/** Flags every role on a host takes: its run config and corpus, a private network of participants, JSON logs. */
function common(dir: string): string[] {
  return [
    ...['--run', join(dir, 'run.json'), '--cache-dir', join(dir, 'cache')],
    ...['--backend', 'wasm', '--metrics-port', '0', '--log-format', 'json'],
    // The hosts' addresses are private (10.x): every participant lives on this LAN.
    '--no-block-private-addresses',
  ];
}

const s3Flags = (bucketPath: string) => [
  ...['--store', `s3://tessera/${bucketPath}`, '--s3-endpoint', s3.endpoint],
  ...[
    '--s3-access-key-id',
    s3.credentials.accessKeyId,
    '--s3-secret-access-key',
    s3.credentials.secretAccessKey,
  ],
  // s3rver serves unsigned reads, as a public-read bucket does: others fetch over plain HTTP.
  ...['--public-url', `${s3.endpoint}/tessera`],
];

function startMiner(name: HostName, key: string, store: 'http' | 's3'): Role {
  const host = net.hosts[name];
  const dir = hostFolder(name);
  const storeFlags =
    store === 'http'
      ? ['--store', 'http://0.0.0.0:8080', '--public-url', `http://${host.ip}:8080`]
      : s3Flags(name);
  return processes.start({
    name,
    host,
    args: [
      'miner',
      ...['--rpc-url', anvil.rpcUrl, '--deployment', join(dir, 'deployment.json'), '--private-key', key],
      ...['--store-dir', join(dir, 'updates'), '--state-dir', join(dir, 'state')],
      ...storeFlags,
      ...common(dir),
    ],
  });
}

function startWorker(name: 'worker1' | 'worker2', prefix: string): Role {
  const dir = hostFolder(name);
  const role = processes.start({
    name,
    host: net.hosts[name],
    args: [
      'worker',
      ...['--prefix', prefix, '--redis-url', redisServer.url, '--lock-ms', String(lockMs)],
      ...['--store-dir', join(dir, 'store'), ...s3Flags('validator')],
      ...common(dir),
    ],
  });
  workers.push(role);
  return role;
}

const scoredIn = (verdicts: Map<number, EvaluationResult>, uids: readonly number[]) =>
  uids.every((uid) => verdicts.get(uid)?.status === 'scored');

beforeAll(async () => {
  net = await createVirtualNetwork({ hosts: hostNames });
  driverDir = mkdtempSync(join(tmpdir(), 'tessera-multihost-'));
  const accounts = devnetAccountCount({ validators: 1, miners: 4 });
  [anvil, redisServer, s3] = await Promise.all([
    startAnvil({ on: net.hosts.chain, blockTime: 1, accounts }),
    startRedisServer({ on: net.hosts.redis }),
    startS3Server({ on: net.hosts.storage, buckets: ['tessera'] }),
  ]);
  // Tokenize once; each host gets a copy in its own folder.
  await createCorpus({
    vocabSize: getModelPreset({ name: hyperparameters.modelPreset }).vocabSize,
    pageTokens: hyperparameters.pageTokens,
    cacheDir: join(driverDir, 'cache'),
    logger: silentLogger,
  });
  devnet = await setupDevnetChain({
    hyperparameters,
    validators: 1,
    miners: 4,
    blockTime: 1,
    stateDir: join(driverDir, 'operator'),
    logger: silentLogger,
    anvil,
    redis: redisServer,
  });
  const v = devnet.validators[0]!;
  earlyUids = devnet.miners.slice(0, 3).map((m) => m.uid);
  lateUid = devnet.miners[3]!.uid;

  const validatorDir = hostFolder('validator');
  const validator = processes.start({
    name: 'validator',
    host: net.hosts.validator,
    args: [
      'validator',
      ...['--rpc-url', anvil.rpcUrl, '--deployment', join(validatorDir, 'deployment.json')],
      ...['--private-key', v.key, '--state-dir', join(validatorDir, 'state'), '--workers', '0'],
      ...[
        '--redis-url',
        redisServer.url,
        '--store-dir',
        join(validatorDir, 'store'),
        ...s3Flags('validator'),
      ],
      ...common(validatorDir),
    ],
  });
  const prefix = await processes.waitFor(
    'the validator’s Redis prefix',
    async () => {
      const started = validator.lines.find((line) => line.msg === 'validator started');
      return typeof started?.redisPrefix === 'string' ? started.redisPrefix : undefined;
    },
    2 * minute,
  );
  // tessera:<subnet>:<hotkey>
  keys = validatorKeys({
    subnet: prefix.slice('tessera:'.length, prefix.lastIndexOf(':')),
    hotkey: prefix.slice(prefix.lastIndexOf(':') + 1),
  });
  expect(keys.prefix).toBe(prefix);
  redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  records = validatorRecords({ redis, keys, waitFor: processes.waitFor });
  queue = new Queue(defaultEvaluationQueueName, { connection: redis, prefix: keys.prefix });
  startWorker('worker1', prefix);
  startWorker('worker2', prefix);
  const [m1, m2, m3] = devnet.miners;
  startMiner('miner1', m1!.key, 'http');
  startMiner('miner2', m2!.key, 'http');
  startMiner('miner3', m3!.key, 's3');
}, 3 * minute);

afterAll(async () => {
  await processes.stopAll({ logFolder: join(repositoryRoot, 'test-output', 'multi-host') });
  await queue?.close();
  redis?.disconnect();
  await devnet?.stop();
  await Promise.all([anvil?.stop(), redisServer?.stop(), s3?.stop()]);
  await net?.destroy();
  for (const dir of [driverDir, ...hostDirs]) if (dir) rmSync(dir, { recursive: true, force: true });
}, minute);

describe('the subnet across hosts', () => {
  it(
    'scores every miner through the S3 and HTTP stores, evaluated on the worker hosts',
    async () => {
      const window = await records.appliedWindowWhere(
        'a window with the three miners scored',
        -1,
        (verdicts) => scoredIn(verdicts, earlyUids),
        4 * minute,
      );
      const commitments = await devnet.validators[0]!.chain.commitments({ window });
      const uriOf = (uid: number) => commitments.find((c) => c.uid === uid)?.uri ?? '';
      expect(uriOf(earlyUids[0]!)).toMatch(new RegExp(`^http://${net.hosts.miner1.ip}:8080/`));
      expect(uriOf(earlyUids[1]!)).toMatch(new RegExp(`^http://${net.hosts.miner2.ip}:8080/`));
      expect(uriOf(earlyUids[2]!).startsWith(`${s3.endpoint}/tessera/miner3/`)).toBe(true);
      // Evaluated by the worker processes on their hosts (the validator runs none itself).
      const pids = new Set(workers.map((w) => String(w.child.pid)));
      const jobs = await queue.getCompleted();
      expect(jobs.length).toBeGreaterThan(0);
      for (const job of jobs) expect(pids.has(job.processedBy?.split(':').at(-1) ?? '')).toBe(true);
    },
    5 * minute,
  );

  it(
    'a late miner catches up from the checkpoint published over the network and is scored',
    async () => {
      await processes.waitFor(
        'a published checkpoint',
        async () => ((await devnet.validators[0]!.chain.latestCheckpoint()) ? true : undefined),
        3 * minute,
        1_000,
      );
      lateStartedAt = (await records.lastWindow()) ?? 0;
      lateMiner = startMiner('late', devnet.miners[3]!.key, 'http');
      await records.appliedWindowWhere(
        'a window with the late miner scored',
        lateStartedAt,
        (verdicts) => verdicts.get(lateUid)?.status === 'scored',
        4 * minute,
      );
      const loaded = lateMiner.lines.find((line) => line.msg === 'checkpoint loaded');
      expect(loaded?.window).toBeGreaterThan(0);
    },
    6 * minute,
  );

  it(
    'a worker host cut off in the middle of a job: the other worker takes the job',
    async () => {
      for (let attempt = 1; ; attempt++) {
        const { job, worker } = await processes.waitFor(
          'a job in a worker’s hands',
          async () => {
            for (const active of await queue.getActive()) {
              const pid = Number(active.processedBy?.split(':').at(-1));
              const holder = workers.find((w) => w.alive() && w.child.pid === pid);
              if (holder) return { job: active, worker: holder };
            }
            return undefined;
          },
          3 * minute,
          20,
        );
        const host: VirtualHost = net.hosts[worker.name as 'worker1' | 'worker2'];
        await host.cut();
        const finished = await processes.waitFor(
          `job ${job.id} finished`,
          async () => {
            const current = await queue.getJob(job.id as string);
            return current?.finishedOn !== undefined ? current : undefined;
          },
          2 * minute,
        );
        // The cut can land just after the worker finished the job: then try the next one.
        if (finished.processedBy === job.processedBy && attempt < 5) {
          await host.restore();
          continue;
        }
        const other = workers.find((w) => w !== worker)!;
        expect(finished.processedBy?.split(':').at(-1)).toBe(String(other.child.pid));
        const { window, uid } = job.data;
        const verdicts = await processes.waitFor(
          `window ${window} applied`,
          async () =>
            (await records.appliedWindows()).includes(window) ? records.verdicts(window) : undefined,
          2 * minute,
        );
        expect(verdicts.get(uid)?.losses).toBeDefined();
        // The cut worker's Redis connection is gone: let it go.
        await killHard(worker);
        await host.restore();
        return;
      }
    },
    5 * minute,
  );

  it(
    'pays the honest miners at settlement, and the held-out loss falls',
    async () => {
      const paid = await processes.waitFor(
        'rewards credited to the miners',
        async () => {
          const rewards = await Promise.all(
            devnet.miners.slice(0, 3).map((m) => m.chain.rewards({ address: m.chain.address })),
          );
          return rewards.every((r) => r.claimable + r.claimed > 0n) ? rewards : undefined;
        },
        4 * minute,
        2_000,
      );
      expect(paid).toHaveLength(3);
      // Nothing crashed along the way: every role but the cut worker still runs.
      for (const role of processes.roles)
        if (!workers.includes(role)) expect([role.name, role.alive()]).toEqual([role.name, true]);
      const applied = await records.appliedWindows();
      expect(applied.length).toBeGreaterThanOrEqual(6);
      const subnet = keys.prefix.slice('tessera:'.length, keys.prefix.lastIndexOf(':'));
      const loss = async (window: number) =>
        Number(await redis.hget(windowMetricsKey({ subnet, window }), 'heldOutLoss'));
      const first = await loss(applied[0]!);
      const last = await loss(applied.at(-2)!);
      expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
      expect(last).toBeLessThan(first);
    },
    6 * minute,
  );
});
