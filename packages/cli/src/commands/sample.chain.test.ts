import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectToken, waitForReceipt } from '@tessera/contracts';
import {
  createEvmChain,
  hyperparameterPresets,
  initParameters,
  modelPresets,
  parseHyperparameters,
  saveCheckpoint,
  silentLogger,
} from '@tessera/core';
import type { EvmChain } from '@tessera/core';
import { Wallet, parseUnits } from 'ethers';
import { testCacheDir } from '../_test/gpt2Checkpoint.js';
import { runTessera } from '../_test/runTessera.js';
import { startTestSubnet } from '../_test/startTestSubnet.js';
import type { TestSubnet } from '../_test/startTestSubnet.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { exitCodes } from '../exitCodes.js';
import { commands } from './all.js';

/**
 * `tessera sample` without --model rebuilds the global model from a subnet on anvil: a
 * validator published a checkpoint of window 2 and no aggregate since, so the model of the
 * latest settled window is that checkpoint's, and the text must be what the checkpoint file
 * itself gives.
 */

type Sampled = { text: string; tokens: number[]; modelHash: string; window: number };

const hyperparameters = parseHyperparameters({
  ...hyperparameterPresets.tiny,
  runSeed: `0x${'5e'.repeat(32)}`,
});
const [, validatorKey] = devAccountKeys({ count: 2 });
const checkpointWindow = 2;

let subnet: TestSubnet;
let validator: EvmChain;
let run: string;
let checkpoint: string;
let checkpointHash: string;

beforeAll(async () => {
  // Anvil starts at block 0; deploying and registering take the first few.
  const startBlock = 12;
  subnet = await startTestSubnet({
    name: 'sample-chain',
    params: {
      startBlock,
      blocksPerWindow: hyperparameters.blocksPerWindow,
      windowsPerEpoch: hyperparameters.windowsPerEpoch,
      deadlineGraceBlocks: hyperparameters.deadlineGraceBlocks,
    },
  });
  run = join(subnet.dir, 'run.json');
  await writeFile(run, JSON.stringify(hyperparameters));
  const stake = parseUnits('1000', 18);
  const transfer = await connectToken({ address: subnet.deployment.token, runner: subnet.deployer }).transfer(
    new Wallet(validatorKey!).address,
    stake,
  );
  await waitForReceipt({ provider: subnet.provider, hash: transfer.hash });
  validator = await createEvmChain({
    rpcUrl: subnet.anvil.rpcUrl,
    deployment: subnet.deployment,
    privateKey: validatorKey!,
    logger: silentLogger,
  });
  await validator.registerValidator({ stake });

  const mineTo = async (block: number) => subnet.anvil.mine(block - (await subnet.provider.getBlockNumber()));
  const { blocksPerWindow } = hyperparameters;
  await mineTo(startBlock + checkpointWindow * blocksPerWindow + 1);
  checkpoint = join(subnet.dir, `w${checkpointWindow}.ckpt`);
  ({ modelHash: checkpointHash } = await saveCheckpoint({
    path: checkpoint,
    config: modelPresets.tiny,
    window: checkpointWindow,
    parameters: initParameters({ config: modelPresets.tiny, seed: 77n }),
  }));
  const published = await validator.publishCheckpoint({
    window: checkpointWindow,
    modelHash: checkpointHash as `0x${string}`,
    uri: pathToFileURL(checkpoint).href,
  });
  expect(published.status).toBe('published');
  // Window 4 is the current one: window 3 is the latest settled, θ_3 = θ_2 (no aggregate came).
  await mineTo(startBlock + 4 * blocksPerWindow + 1);
}, 120_000);

afterAll(async () => {
  await validator?.disconnect();
  await subnet?.stop();
});

const common = [
  '--prompt',
  'The jury said',
  '--max-tokens',
  '6',
  '--seed',
  '3',
  '--backend',
  'cpu',
  '--json',
];

/** `tessera sample` of the run, quiet, with `flags`; what it printed and its exit code. */
function runSample(...flags: string[]) {
  return runTessera(commands, [
    'sample',
    ...common,
    '--run',
    run,
    '--cache-dir',
    testCacheDir,
    '--log-level',
    'silent',
    ...flags,
  ]);
}

async function sample(...flags: string[]): Promise<Sampled> {
  const result = await runSample(...flags);
  expect(result.err).toBe('');
  expect(result.code).toBe(exitCodes.ok);
  return JSON.parse(result.out) as Sampled;
}

describe('tessera sample from the chain', () => {
  it('samples the latest settled global model: the checkpoint, rebuilt from the chain', async () => {
    const fromChain = await sample(...subnet.connection(), '--read-file-uris');
    const fromFile = await sample('--model', checkpoint);
    expect(fromChain).toMatchObject({ modelHash: checkpointHash, window: 3 });
    expect(fromFile.modelHash).toBe(checkpointHash);
    expect(fromChain.tokens).toEqual(fromFile.tokens);
    expect(fromChain.text).toBe(fromFile.text);
  }, 60_000);

  it('refuses a checkpoint on disk without --read-file-uris: a commitment names any path', async () => {
    const result = await runSample(...subnet.connection());
    expect(result.code).toBe(exitCodes.failure);
    expect(result.err).toMatch(/file/i);
  }, 60_000);

  it('refuses a window that has not started, and flags that belong to the other mode', async () => {
    const early = await runSample(...subnet.connection(), '--read-file-uris', '--window', '9');
    expect(early.code).toBe(exitCodes.failure);
    expect(early.err).toContain('Window 9 has not started; the current window is 4.');
    const neither = await runTessera(commands, ['sample', ...common]);
    expect(neither.code).toBe(exitCodes.usage);
    expect(neither.err).toContain('--model');
    const both = await runTessera(commands, ['sample', ...common, '--model', checkpoint, '--window', '3']);
    expect(both.code).toBe(exitCodes.usage);
    expect(both.err).toContain('--window');
  }, 60_000);
});
