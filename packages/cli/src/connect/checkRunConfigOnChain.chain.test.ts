import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deploySubnet, writeDeployment } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import {
  RunConfigMismatchError,
  createEvmChain,
  hashRunConfig,
  hyperparameterPresets,
  parseHyperparameters,
  silentLogger,
} from '@tessera/core';
import type { EvmChain, Hyperparameters, Logger } from '@tessera/core';
import { startAnvil } from '@tessera/devtools';
import type { Anvil } from '@tessera/devtools';
import { JsonRpcProvider, Wallet } from 'ethers';
import { runTessera } from '../_test/runTessera.js';
import { commands } from '../commands/all.js';
import { devAccountKeys } from '../devnet/devAccounts.js';
import { exitCodes } from '../exitCodes.js';
import { checkRunConfigOnChain } from './checkRunConfigOnChain.js';

const [deployerKey, minerKey] = devAccountKeys({ count: 2 });
const subnetConfig: Hyperparameters = parseHyperparameters({
  ...hyperparameterPresets.tiny,
  runSeed: `0x${'11'.repeat(32)}`,
});
const subnetHash = hashRunConfig({ hyperparameters: subnetConfig });
/** Another run: another seed and more inner steps, as a miner with a stale run.json would have. */
const otherConfig: Hyperparameters = parseHyperparameters({
  ...subnetConfig,
  runSeed: `0x${'22'.repeat(32)}`,
  innerSteps: subnetConfig.innerSteps + 1,
});

let anvil: Anvil;
let provider: JsonRpcProvider;
let dir: string;
/** A subnet recording `subnetHash`, its deployment file holding `subnetConfig`. */
let recorded: { deployment: Deployment; path: string; chain: EvmChain };
/** A subnet deployed without a hash. */
let unrecorded: { deployment: Deployment; path: string; chain: EvmChain };

async function deploy(name: string, extra: Partial<Parameters<typeof deploySubnet>[0]>) {
  const deployment = await deploySubnet({
    signer: new Wallet(deployerKey!, provider),
    params: {
      blocksPerWindow: subnetConfig.blocksPerWindow,
      windowsPerEpoch: subnetConfig.windowsPerEpoch,
      deadlineGraceBlocks: subnetConfig.deadlineGraceBlocks,
    },
    ...extra,
  });
  const path = join(dir, `${name}.json`);
  await writeDeployment({ path, deployment });
  const chain = await createEvmChain({ deployment, rpcUrl: anvil.rpcUrl, logger: silentLogger });
  return { deployment, path, chain };
}

beforeAll(async () => {
  anvil = await startAnvil();
  provider = new JsonRpcProvider(anvil.rpcUrl, anvil.chainId, { staticNetwork: true });
  dir = await mkdtemp(join(tmpdir(), 'tessera-run-config-'));
  recorded = await deploy('recorded', { runConfigHash: subnetHash, runConfig: subnetConfig });
  unrecorded = await deploy('unrecorded', {});
}, 90_000);

afterAll(async () => {
  await recorded?.chain.disconnect();
  await unrecorded?.chain.disconnect();
  provider?.destroy();
  await anvil?.stop();
  await rm(dir, { recursive: true, force: true });
});

function recordingLogger(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const logger: Logger = {
    ...silentLogger,
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    child: () => logger,
  };
  return Object.assign(logger, { lines });
}

describe('checkRunConfigOnChain', () => {
  it('reads the hash the Subnet records and lets the same config through', async () => {
    expect(await recorded.chain.runConfigHash()).toBe(subnetHash);
    const logger = recordingLogger();
    // Key order and defaults written out do not matter: the hash is of the parsed config.
    const reordered = parseHyperparameters(Object.fromEntries(Object.entries(subnetConfig).reverse()));
    await expect(
      checkRunConfigOnChain({ hyperparameters: reordered, chain: recorded.chain, logger }),
    ).resolves.toBe(subnetHash);
    expect(logger.lines).toContainEqual({ level: 'info', message: 'run config matches the chain' });
  });

  it('refuses another config, naming each field that differs from the deployment file’s', async () => {
    const error = await checkRunConfigOnChain({
      hyperparameters: otherConfig,
      chain: recorded.chain,
      deployment: recorded.path,
      logger: silentLogger,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunConfigMismatchError);
    const mismatch = error as RunConfigMismatchError;
    expect(mismatch.chain).toBe(subnetHash);
    expect(mismatch.run).toBe(hashRunConfig({ hyperparameters: otherConfig }));
    expect(mismatch.differences).toEqual([
      { field: 'innerSteps', run: otherConfig.innerSteps, reference: subnetConfig.innerSteps },
      { field: 'runSeed', run: otherConfig.runSeed, reference: subnetConfig.runSeed },
    ]);
    expect(mismatch.message).toContain(`runSeed: "${otherConfig.runSeed}" in the run config`);
  });

  it('names no fields from a deployment file whose run config is not the one on chain', async () => {
    // A tampered or stale file cannot make a role believe the wrong differences.
    const path = join(dir, 'tampered.json');
    await writeDeployment({
      path,
      deployment: { ...recorded.deployment, runConfig: { ...subnetConfig, innerSteps: 99 } },
    });
    const error = (await checkRunConfigOnChain({
      hyperparameters: otherConfig,
      chain: recorded.chain,
      deployment: path,
      logger: silentLogger,
    }).catch((e: unknown) => e)) as RunConfigMismatchError;
    expect(error).toBeInstanceOf(RunConfigMismatchError);
    expect(error.differences).toEqual([]);
    // Nor does a file that cannot be read at all.
    await writeFile(path, '{');
    await expect(
      checkRunConfigOnChain({
        hyperparameters: otherConfig,
        chain: recorded.chain,
        deployment: path,
        logger: silentLogger,
      }),
    ).rejects.toMatchObject({ name: 'RunConfigMismatchError', differences: [] });
  });

  it('lets any config through a subnet that records none, and says so', async () => {
    expect(await unrecorded.chain.runConfigHash()).toBeUndefined();
    const logger = recordingLogger();
    await expect(
      checkRunConfigOnChain({ hyperparameters: otherConfig, chain: unrecorded.chain, logger }),
    ).resolves.toBe(hashRunConfig({ hyperparameters: otherConfig }));
    expect(logger.lines.map((line) => line.level)).toEqual(['warn']);
  });
});

describe('a role started with another run config', () => {
  it('exits 2 before training, printing both hashes and the fields that differ', async () => {
    const run = join(dir, 'other-run.json');
    await writeFile(run, JSON.stringify(otherConfig));
    const result = await runTessera(commands, [
      'miner',
      '--chain',
      'evm',
      '--rpc-url',
      anvil.rpcUrl,
      '--deployment',
      recorded.path,
      '--private-key',
      minerKey!,
      '--run',
      run,
      '--store-dir',
      join(dir, 'store'),
      '--state-dir',
      join(dir, 'state'),
      '--cache-dir',
      join(dir, 'cache'),
      '--metrics-port',
      '0',
    ]);
    expect(result.code).toBe(exitCodes.usage);
    expect(result.err).toContain('The run config is not the one this subnet records on chain.');
    expect(result.err).toContain(`on-chain hash:   ${subnetHash}`);
    expect(result.err).toContain('innerSteps:');
    expect(result.err).toContain('runSeed:');
  }, 60_000);
});
