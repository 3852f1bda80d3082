import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BaseError,
  createFileStore,
  createMetrics,
  createModel,
  createModelSync,
  createShutdown,
  createStoreRouter,
  epochOfWindow,
  heldOutBatches,
  hyperparameterPresets,
  meanLoss,
  parseHyperparameters,
  setParameters,
  sleep,
  startBlockOfEpoch,
  windowOfBlock,
} from '@tessera/core';
import type { Common, Logger, Shutdown } from '@tessera/core';
import { createMiner } from '@tessera/miner';
import type { Miner } from '@tessera/miner';
import { createAdversarialValidator, getStrategy } from '@tessera/gauntlet';
import type { AdversarialValidatorKind, StrategyName } from '@tessera/gauntlet';
import { startApi } from '@tessera/api';
import { createValidator } from '@tessera/validator';
import type { Validator } from '@tessera/validator';
import { loadRunContext } from '../connect/loadRunContext.js';
import type { DevnetOptions } from './devnetOptions.js';
import { setupDevnetChain } from './setupDevnetChain.js';
import { watchDevnetProgress } from './watchDevnetProgress.js';
import type { DevnetProgress } from './watchDevnetProgress.js';

/** One window's line of the devnet table. */
export type DevnetWindowRow = {
  window: number;
  /** Loss of θ_{window+1} on the observer's fixed held-out pages. */
  heldOutLoss: number;
  /** Rewards credited so far (claimable + claimed), in wei, by uid. */
  rewardsWei: Record<number, bigint>;
};

/** The devnet's summary: the last stdout line with `--json`. */
export type DevnetSummary = {
  windows: number;
  /** Held-out loss of θ_0, then of the model after each evaluated window. */
  heldOutLoss: number[];
  miners: { uid: number; address: string; strategy: string; rewardsWei: string }[];
  /** `role` is `validator` for an evaluating validator, else the adversary's kind. */
  validators: {
    uid: number;
    address: string;
    role: 'validator' | AdversarialValidatorKind;
    stakeTokens: number;
    rewardsWei: string;
  }[];
};

/** Parameters of {@link runDevnet}. */
export type RunDevnetParameters = {
  options: DevnetOptions;
  logger: Logger;
  shutdown: Shutdown;
  /** Called after each evaluated window. */
  onWindow?: ((row: DevnetWindowRow) => void) | undefined;
  /** Called as each window's steps happen (train, commit, evaluate, aggregate). */
  onProgress?: ((progress: DevnetProgress) => void) | undefined;
};

/**
 * Runs a whole subnet on this machine: anvil and Redis on free loopback ports, the
 * contracts, validators and miners in this process (each with its own model, key and
 * state), and an observer that follows the published aggregates like a late joiner and
 * measures the held-out loss after every window. Stops after `options.windows` windows
 * (then settles the epochs that ended) or when `shutdown` is killed.
 *
 * @returns The summary the `--json` flag prints.
 */
export async function runDevnet(parameters: RunDevnetParameters): Promise<DevnetSummary> {
  const { options, logger, shutdown } = parameters;
  let overrides: unknown;
  try {
    overrides = JSON.parse(options.hyperparameters);
  } catch (cause) {
    throw new BaseError('--hyperparameters is not JSON.', {
      cause,
      hint: 'Pass an object, e.g. {"innerSteps":12}.',
    });
  }
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new BaseError('--hyperparameters must be a JSON object.');
  }
  const hyperparameters = parseHyperparameters({
    ...hyperparameterPresets.tiny,
    blocksPerWindow: options.blocksPerWindow,
    windowsPerEpoch: options.windowsPerEpoch,
    ...overrides,
  });
  const strategies: StrategyName[] = [
    ...Array.from({ length: options.miners }, () => 'honest' as const),
    ...options.adversaries,
  ];
  await rm(options.stateDir, { recursive: true, force: true });
  const devnet = await setupDevnetChain({
    hyperparameters,
    validators: options.validators + options.validatorAdversaries.length,
    validatorStakes: Array.from({ length: options.validators }, () => options.validatorStake),
    miners: strategies.length,
    blockTime: options.blockTime,
    stateDir: options.stateDir,
    logger,
  });
  shutdown.add(() => devnet.stop());

  try {
    return await runRoles();
  } finally {
    await shutdown.kill();
  }

  async function runRoles(): Promise<DevnetSummary> {
    const run = await loadRunContext({
      run: devnet.runPath,
      chain: devnet.miners[0]?.chain ?? devnet.validators[0]!.chain,
      deployment: devnet.deploymentPath,
      cacheDir: join('.tessera', 'cache'),
      backend: 'auto',
      logger,
    });
    const router = createStoreRouter();
    // The roles stop on a shutdown of their own once the last window is done, so they do not
    // watch the chain being brought forward to the settlements (every window of it "too late").
    const roles = createShutdown();
    shutdown.add(() => roles.kill());
    const common = (role: string, index: number): Common<DevnetOptions> => ({
      options,
      logger: logger.child({ role, n: index }),
      metrics: createMetrics({
        prefix: `tessera_${role}`,
        labels: { instance: String(index) },
        defaultMetrics: false,
      }),
      shutdown: roles,
    });

    const evaluating = devnet.validators.slice(0, options.validators);
    // A self-dealer's favourite is the last miner: an adversary when there are any.
    const favourite = devnet.miners.at(-1)?.uid;
    const adversaries = devnet.validators.slice(options.validators).map((v, i) =>
      createAdversarialValidator({
        kind: options.validatorAdversaries[i]!,
        chain: v.chain,
        favourite,
        logger: logger.child({ role: options.validatorAdversaries[i]!, n: i }),
        shutdown: roles,
      }),
    );
    const validators: Validator[] = evaluating.map((v, i) =>
      createValidator({
        common: common('validator', i),
        chain: v.chain,
        redis: devnet.redis.url,
        store: createFileStore({ root: join(options.stateDir, `validator-${v.uid}`, 'store') }),
        router,
        corpus: run.corpus,
        hyperparameters: run.hyperparameters,
        modelConfig: run.modelConfig,
        stateDir: join(options.stateDir, `validator-${v.uid}`),
        blockTimeMs: options.blockTime * 1000,
      }),
    );
    const miners: Miner[] = devnet.miners.map((m, i) =>
      createMiner({
        common: common('miner', i),
        chain: m.chain,
        store: createFileStore({ root: join(options.stateDir, `miner-${m.uid}`, 'updates') }),
        router,
        corpus: run.corpus,
        hyperparameters: run.hyperparameters,
        modelConfig: run.modelConfig,
        strategy: getStrategy({ name: strategies[i]! }),
        strategyName: strategies[i]!,
        stateDir: join(options.stateDir, `miner-${m.uid}`),
      }),
    );
    const running = [
      ...validators.map((v) => v.run()),
      ...adversaries.map((a) => a.run()),
      ...miners.map((m) => m.run()),
    ];
    const failure = Promise.race(running.map((p) => p.then(() => new Promise<never>(() => undefined))));
    const onProgress = parameters.onProgress;
    const progress = onProgress
      ? watchDevnetProgress({ miners, validators, onProgress, signal: roles.signal })
      : Promise.resolve();

    // The observer: follows the chain like a late joiner and measures held-out loss.
    const observerChain = devnet.validators[0]!.chain;
    const observer = createModelSync({
      chain: observerChain,
      router,
      hyperparameters: run.hyperparameters,
      modelConfig: run.modelConfig,
      logger: logger.child({ role: 'observer' }),
    });
    const batches = heldOutBatches({ corpus: run.corpus, pages: 16, batchSize: 16 });
    const model = createModel({ config: run.modelConfig, seed: 0 });
    shutdown.add(() => model.dispose());
    const measure = async (parameters: Float32Array) => {
      setParameters({ model, parameters });
      return meanLoss({ model, batches });
    };

    const timing = await observerChain.timing();
    await observerChain.waitForBlock({ block: timing.startBlock, signal: shutdown.signal });
    const firstWindow = windowOfBlock({ block: await observerChain.blockNumber(), ...timing });
    await observer.advanceTo({ window: firstWindow, signal: shutdown.signal });
    const heldOutLoss = [await measure(observer.parameters)];

    // The REST API and dashboard over the devnet; the validators write the held-out loss it shows.
    if (options.apiPort > 0) {
      const api = await startApi({
        common: {
          options: {
            rpcUrl: devnet.anvil.rpcUrl,
            deployment: devnet.deploymentPath,
            redisUrl: devnet.redis.url,
            host: '127.0.0.1',
            port: options.apiPort,
            confirmations: 1,
            batchBlocks: 2000,
            pollIntervalMs: 1000,
            index: true,
            rateLimit: 600,
            corsOrigin: ['*'],
            trustProxy: false,
            // The validators publish under the state folder (file://); the API reads their
            // verdicts there and on loopback, which a public API refuses.
            verdictsPrivateAddresses: true,
            verdictsFileUris: true,
            logLevel: options.logLevel,
            logFormat: options.logFormat,
          },
          logger: logger.child({ role: 'api' }),
          metrics: createMetrics({ prefix: 'tessera_api' }),
          shutdown,
        },
      });
      process.stderr.write(`REST API and dashboard: ${api.url}/\n`);
    }
    const everyone = [...devnet.miners, ...devnet.validators];
    const rewardsOf = async () => {
      const out: Record<number, bigint> = {};
      for (const n of everyone) {
        const r = await observerChain.rewards({ address: n.chain.address });
        out[n.uid] = r.claimable + r.claimed;
      }
      return out;
    };

    let evaluated = 0;
    for (let window = firstWindow; options.windows === 0 || evaluated < options.windows; window++) {
      // θ_{window+1} exists once the validators published window's aggregate.
      await Promise.race([observer.advanceTo({ window: window + 1, signal: shutdown.signal }), failure]);
      evaluated += 1;
      heldOutLoss.push(await measure(observer.parameters));
      parameters.onWindow?.({ window, heldOutLoss: heldOutLoss.at(-1)!, rewardsWei: await rewardsOf() });
    }
    // The validators commit an epoch's weights inside it, after its second-to-last window
    // (after each window when an epoch has one, for the next epoch); weights are revealed in
    // the next epoch, and an epoch settles from the start of the one after that. Wait for them
    // to finish the last window, bring the chain to those points at once, reveal, and settle
    // every epoch the run's windows cover, no later one: a validator that commits without
    // evaluating would have the epoch after the run to itself.
    const lastWindow = firstWindow + evaluated - 1;
    while (validators.some((v) => (v.status().lastWindow ?? -1) < lastWindow)) {
      await Promise.race([sleep(250, shutdown.signal), failure]);
    }
    await roles.kill();
    await Promise.all([...running, progress]);
    const epochStart = (epoch: number) => startBlockOfEpoch({ epoch, ...timing });
    const mineTo = async (block: number) => {
      const head = await observerChain.blockNumber();
      if (head < block) await devnet.anvil.mine(block - head);
    };
    const lastEpoch =
      timing.windowsPerEpoch >= 2 ? epochOfWindow({ window: lastWindow, ...timing }) : lastWindow + 1;
    await mineTo(epochStart(lastEpoch + 1));
    for (const v of devnet.validators) {
      await v.chain.revealPendingWeights().catch((error: unknown) => {
        logger.warn('revealing weights at the end of the devnet failed', { uid: v.uid, error });
      });
    }
    await mineTo(epochStart(lastEpoch + 2));
    for (let epoch = 0; epoch <= lastEpoch; epoch++) {
      // A validator may settle the same epoch at the same moment; then ours reverts, and the
      // second call finds it settled and does nothing.
      await observerChain.settleEpoch({ epoch }).catch(async (error: unknown) => {
        logger.info('settling raced a validator; checking again', { epoch, error });
        await observerChain.settleEpoch({ epoch });
      });
    }
    const rewards = await rewardsOf();
    return {
      windows: evaluated,
      heldOutLoss,
      miners: devnet.miners.map((m, i) => ({
        uid: m.uid,
        address: m.chain.address,
        strategy: strategies[i]!,
        rewardsWei: String(rewards[m.uid] ?? 0n),
      })),
      validators: devnet.validators.map((v, i) => ({
        uid: v.uid,
        address: v.chain.address,
        role:
          i < options.validators
            ? ('validator' as const)
            : options.validatorAdversaries[i - options.validators]!,
        stakeTokens: i < options.validators ? options.validatorStake : 1000,
        rewardsWei: String(rewards[v.uid] ?? 0n),
      })),
    };
  }
}
