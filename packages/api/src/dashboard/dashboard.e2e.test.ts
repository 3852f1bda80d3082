import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evmSubnetId, windowMetricsKey, windowSampleField } from '@tessera/core';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { seedSimulatedIndex } from '../devtools/seedSimulatedIndex.js';
import { simulateSubnetEvents } from '../devtools/simulateSubnetEvents.js';
import type { SimulatedSubnet } from '../devtools/simulateSubnetEvents.js';
import { simulatedDeployment } from '../devtools/simulatedDeployment.js';
import { startTestRedis } from '../_test/startTestRedis.js';
import type { TestRedis } from '../_test/startTestRedis.js';
import { createApiServer } from '../server/createApiServer.js';
import type { ApiServer } from '../server/createApiServer.js';

// The dashboard in headless Debian Chromium, driven by playwright-core, against a real
// loopback port. Chromium must be installed (apt-get install chromium; .ci/run does it): a
// missing browser fails this suite rather than skipping it.

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshot = resolve(process.cwd(), 'test-output', 'dashboard.png');
const deployment = simulatedDeployment({
  params: { blocksPerWindow: 10, windowsPerEpoch: 2, deadlineGraceBlocks: 2 },
});

let redis: TestRedis;
let api: ApiServer;
let base: string;
let simulation: SimulatedSubnet;
let context: BrowserContext;
let profile: string;

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH). ` +
        'The dashboard test needs a real browser and does not skip.',
    );
  }
  redis = await startTestRedis();
  simulation = simulateSubnetEvents({
    subnet: deployment.subnet,
    params: deployment.params,
    miners: 12,
    validators: 3,
    delegators: 8,
    epochs: 24,
    seed: 3,
  });
  await seedSimulatedIndex({ redis: redis.redis, deployment, simulation });
  // Two windows' samples as a validator writes them; the newer one tries to inject markup.
  const windows = [...simulation.heldOutLoss.keys()].sort((a, b) => a - b);
  for (const [window, text] of [
    [windows[0]!, ' older sample'],
    [windows[windows.length - 1]!, ' jury said <img src=x onerror="window.injected=1">'],
  ] as const) {
    await redis.redis.hset(
      windowMetricsKey({ subnet: evmSubnetId(deployment), window }),
      windowSampleField,
      JSON.stringify({ prompt: 'The', text }),
    );
  }
  const head = simulation.lastBlock + 2;
  api = await createApiServer({ redis: redis.redis, deployment, chain: { blockNumber: async () => head } });
  base = await api.listen({ host: '127.0.0.1', port: 0 });
  profile = mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 1100 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 90_000);

afterAll(async () => {
  await context?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await api?.close();
  await redis?.stop();
});

it('draws held-out loss, emission and miners’ scores from the API, loading nothing external', async () => {
  const page = await context.newPage();
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  const holder = simulation.delegators[0]!;
  await page.goto(`${base}/#${holder}`);
  await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
  await page.waitForSelector('#account-result table tbody tr', { timeout: 20_000 });

  expect(await page.locator('[data-chart="loss"] circle[data-point="loss"]').count()).toBe(
    simulation.heldOutLoss.size,
  );
  expect(await page.locator('[data-chart="loss"] path[data-series="loss"]').count()).toBe(1);
  // 24 epochs × (miners, validators, owner)
  expect(await page.locator('[data-chart="emission"] rect[data-bar="emission"]').count()).toBe(24 * 3);
  expect(await page.locator('[data-chart="scores"] rect[data-bar="score"]').count()).toBe(12);
  expect(await page.locator('#tiles .tile').count()).toBe(6);
  expect(await page.locator('#account-result table tbody tr').count()).toBe(20);
  expect(await page.locator('#status').textContent()).toBe(`indexed to block ${simulation.lastBlock}`);

  // the newest window's sample, as text: the markup in it is shown, never run
  const sample = page.locator('[data-sample="latest"]');
  expect(await sample.textContent()).toBe('The jury said <img src=x onerror="window.injected=1">');
  expect(await sample.locator('img').count()).toBe(0);
  expect(await sample.getAttribute('data-window')).toBe(String(Math.max(...simulation.heldOutLoss.keys())));
  expect(await page.evaluate(() => (globalThis as { injected?: number }).injected)).toBeUndefined();

  // the losses plotted fall as the simulated training goes on
  const ys = await page
    .locator('[data-chart="loss"] circle[data-point="loss"]')
    .evaluateAll((dots) => dots.map((dot) => Number(dot.getAttribute('cy'))));
  expect(ys[ys.length - 1]!).toBeGreaterThan(ys[0]!);

  mkdirSync(resolve(process.cwd(), 'test-output'), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true });
  expect(existsSync(screenshot)).toBe(true);
  process.stdout.write(`dashboard screenshot: ${screenshot}\n`);

  expect(problems).toEqual([]);
  expect(requests.filter((url) => !url.startsWith(base))).toEqual([]);
  expect(requests.some((url) => url.startsWith(`${base}/v1/windows`))).toBe(true);
}, 60_000);
