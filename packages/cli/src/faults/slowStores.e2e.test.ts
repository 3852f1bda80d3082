import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import {
  createFileStore,
  createLogger,
  createMetrics,
  createShutdown,
  createStoreRouter,
  createUpdateServer,
  deadlineOfWindow,
  digestUpdate,
  hyperparameterPresets,
  parseHyperparameters,
  silentLogger,
  startBlockOfWindow,
} from '@tessera/core';
import type { Shutdown, UpdateServer } from '@tessera/core';
import { createMiner } from '@tessera/miner';
import { createValidator, validatorKeys } from '@tessera/validator';
import type { EvaluationResult, ValidatorKeys } from '@tessera/validator';
import { loadRunContext } from '../connect/loadRunContext.js';
import { setupTestDevnet } from '../_test/setupTestDevnet.js';
import type { DevnetChain } from '../devnet/setupDevnetChain.js';
import { freePort, startTcpProxy } from '@tessera/devtools';
import type { TcpProxy } from '@tessera/devtools';

// Five miners serve their updates a byte at a time (50 bytes a second, so 4 KiB would take
// 80 s) beside three honest miners, all on one subnet with 20-block windows of 1 s blocks.
// The validator must cut the slow downloads off at their budget, call those miners
// missing:timeout, and evaluate every honest update in every window regardless. The roles
// run in this process (as in the devnet) to keep the suite short; their log ends up in
// test-output/slow-stores/.

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const hyperparameters = parseHyperparameters({
  ...hyperparameterPresets.tiny,
  blocksPerWindow: 20,
  windowsPerEpoch: 3,
});
const minute = 60_000;
/** The windows checked: the slow miners commit in each, the honest ones from the second on at least. */
const windows = [0, 1, 2];

const lines: string[] = [];
const logger = createLogger({ level: 'info', format: 'json', write: (line) => lines.push(line) });
let stateDir: string;
let devnet: DevnetChain;
let slowServer: UpdateServer;
let trickle: TcpProxy;
let redis: Redis;
let keys: ValidatorKeys;
let shutdown: Shutdown;
let running: Promise<unknown>[] = [];
const failures: unknown[] = [];
let slowUids: number[];
let honestUids: number[];

/** The last log lines and any role that failed, for a failure message. */
function diagnostics(): string {
  return [...failures.map((f) => `role failed: ${String(f)}`), ...lines.slice(-40)].join('\n');
}

async function verdicts(window: number): Promise<Map<number, EvaluationResult>> {
  const hash = await redis.hgetall(keys.results(window));
  return new Map(
    Object.entries(hash).map(([uid, json]) => [Number(uid), JSON.parse(json) as EvaluationResult]),
  );
}

/** Commits, for every window, an update of 4 KiB per slow miner, served through the trickling proxy. */
async function commitSlowly(signal: AbortSignal): Promise<void> {
  const chain = devnet.validators[0]!.chain;
  const timing = await chain.timing();
  const slow = devnet.miners.filter((m) => slowUids.includes(m.uid));
  for (let window = 0; !signal.aborted; window++) {
    const head = await chain.waitForBlock({ block: startBlockOfWindow({ window, ...timing }), signal });
    if (head >= deadlineOfWindow({ window, ...timing }) - 2) continue;
    await Promise.all(
      slow.map(async (miner) => {
        const bytes = new Uint8Array(randomBytes(4096));
        const key = `w${String(window).padStart(6, '0')}/uid-${miner.uid}.tsu`;
        const { uri } = await slowServer.store.put({ key, bytes, signal });
        await miner.chain.commit({
          window,
          digest: digestUpdate(bytes),
          uri,
          modelHash: `0x${randomBytes(32).toString('hex')}`,
        });
      }),
    );
  }
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'tessera-slow-stores-'));
  const setup = await setupTestDevnet({ hyperparameters, miners: 8, stateDir });
  devnet = setup.devnet;
  const { cacheDir } = setup;
  // The lowest uids are the slow ones, so their jobs come first in the queue.
  slowUids = devnet.miners.slice(0, 5).map((m) => m.uid);
  honestUids = devnet.miners.slice(5).map((m) => m.uid);
  const v = devnet.validators[0]!;
  keys = validatorKeys({ subnet: v.chain.subnetId, hotkey: v.chain.address });
  redis = new Redis(devnet.redis.url, { maxRetriesPerRequest: null });

  // The slow miners' update server, reached only through a proxy that lets one byte through
  // every 20 ms, headers included.
  const servePort = await freePort();
  trickle = await startTcpProxy({
    target: { host: '127.0.0.1', port: servePort },
    trickle: { bytes: 1, everyMs: 20 },
  });
  slowServer = await createUpdateServer({
    store: createFileStore({ root: join(stateDir, 'slow-updates') }),
    port: servePort,
    publicUrl: `http://127.0.0.1:${trickle.port}`,
    maxBytes: hyperparameters.maxUpdateBytes,
  });

  const run = await loadRunContext({
    run: devnet.runPath,
    chain: v.chain,
    cacheDir,
    backend: 'wasm',
    logger: silentLogger,
  });
  shutdown = createShutdown();
  const router = createStoreRouter();
  const common = (role: string, n: number) => ({
    options: {},
    logger: logger.child({ role, n }),
    metrics: createMetrics({ prefix: `tessera_${role}`, labels: { n: String(n) }, defaultMetrics: false }),
    shutdown,
  });
  const validator = createValidator({
    common: common('validator', 0),
    chain: v.chain,
    redis: devnet.redis.url,
    store: createFileStore({ root: join(stateDir, 'validator', 'store') }),
    router,
    corpus: run.corpus,
    hyperparameters: run.hyperparameters,
    modelConfig: run.modelConfig,
    stateDir: join(stateDir, 'validator'),
    blockTimeMs: 1_000,
  });
  const honest = devnet.miners.slice(5).map((m, i) =>
    createMiner({
      common: common('miner', i),
      chain: m.chain,
      store: createFileStore({ root: join(stateDir, `miner-${m.uid}`, 'updates') }),
      router,
      corpus: run.corpus,
      hyperparameters: run.hyperparameters,
      modelConfig: run.modelConfig,
      stateDir: join(stateDir, `miner-${m.uid}`),
    }),
  );
  running = [validator.run(), ...honest.map((m) => m.run()), commitSlowly(shutdown.signal)].map((p) =>
    p.catch((error: unknown) => {
      if (!shutdown.isKilled) failures.push(error);
    }),
  );
}, 3 * minute);

afterAll(async () => {
  await shutdown?.kill();
  // The timer must not hold the process once the roles have stopped.
  await Promise.race([Promise.all(running), delay(30_000, undefined, { ref: false })]);
  const logs = join(root, 'test-output', 'slow-stores');
  mkdirSync(logs, { recursive: true });
  writeFileSync(join(logs, 'roles.log'), lines.join('\n'));
  redis?.disconnect();
  await slowServer?.close();
  await trickle?.close();
  await devnet?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}, minute);

describe('slow update stores', () => {
  it(
    'cuts off five trickling miners as missing:timeout and evaluates every honest update in every window',
    async () => {
      const last = windows.at(-1)!;
      const until = Date.now() + 3 * minute;
      while (!(await redis.sismember(keys.applied, String(last)))) {
        if (failures.length > 0 || Date.now() > until) {
          throw new Error(`window ${last} not applied\n${diagnostics()}`);
        }
        await delay(500);
      }
      const chain = devnet.validators[0]!.chain;
      const seen: Record<string, unknown>[] = [];
      for (const window of windows) {
        expect(await redis.sismember(keys.applied, String(window))).toBe(1);
        const v = await verdicts(window);
        const committed = new Set((await chain.commitments({ window })).map((c) => c.uid));
        for (const uid of slowUids) {
          seen.push({ window, uid, committed: committed.has(uid), reason: v.get(uid)?.reason });
        }
        for (const uid of honestUids) {
          const result = v.get(uid);
          // Committed from the second window on (the first may come before a miner is ready);
          // every honest update committed was downloaded, decoded and measured in time.
          seen.push({
            window,
            uid,
            committed: committed.has(uid) || window === windows[0],
            evaluated: !committed.has(uid) || result?.losses !== undefined,
          });
        }
        logger.info('window checked', {
          window,
          verdicts: Object.fromEntries([...v].map(([uid, r]) => [uid, r.reason ?? r.status])),
        });
      }
      const expected = seen.map((row) =>
        'reason' in row
          ? { ...row, committed: true, reason: 'missing:timeout' }
          : { ...row, committed: true, evaluated: true },
      );
      if (JSON.stringify(seen) !== JSON.stringify(expected)) process.stderr.write(`${diagnostics()}\n`);
      expect(seen).toEqual(expected);
      // The budgets came from the window: less than the 14 blocks of 1 s from a deadline to
      // the publish cutoff (4 blocks before the window after next), far less than the 30 s cap.
      const budgets = lines
        .map((line) => JSON.parse(line) as { msg?: string; window?: number; fetchTimeoutMs?: number })
        .filter((line) => line.msg === 'evaluating' && windows.includes(line.window ?? -1))
        .map((line) => line.fetchTimeoutMs ?? 0);
      expect(budgets.length).toBeGreaterThanOrEqual(windows.length);
      for (const budget of budgets) {
        expect(budget).toBeGreaterThanOrEqual(1_000);
        expect(budget).toBeLessThan(14_000);
      }
    },
    4 * minute,
  );
});
