import { join } from 'node:path';
import { storeReadersOf } from '@tessera/core';
import {
  createEvaluationWorker,
  createValidator,
  createValidatorRouter,
  validatorOptionsSchema,
  workerOptionsSchema,
} from '@tessera/validator';
import { chainProblems, roleKeys } from '../connect/chainChecks.js';
import { loggerOf } from '../connect/loggerOf.js';
import { loadRunContext } from '../connect/loadRunContext.js';
import {
  datasetRouterOf,
  processShutdown,
  startChainRole,
  startRoleMetrics,
} from '../connect/startProcessRole.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';

/** Largest checkpoint or model file a validator's own HTTP store serves (16 GiB). */
const maxPublishedFileBytes = 16 * 2 ** 30;

/** `tessera validator`: scores every window's updates, publishes aggregates, sets weights. */
export const validatorCommand = defineCommand({
  name: 'validator',
  summary: 'Run a validator: score updates, publish aggregates, set weights.',
  description:
    'Runs the validator window loop against a registered, staked hotkey, on the Tessera contracts (--chain evm, --private-key) or a Bittensor subnet (--chain subtensor --ws … --netuid N, --hotkey; weights go through the subnet’s commit-reveal when CommitRevealWeightsEnabled is on, the salts kept in --state-dir): after each deadline it reads the commitments, evaluates every update on a BullMQ queue (in-process workers with --workers, more with `tessera worker` on the same Redis), keeps per-uid moving averages in Redis, publishes the aggregation set and checkpoints, sets weights once per epoch and settles finished epochs. Ctrl-C stops it after the current step; a restart resumes where it stopped.',
  schema: validatorOptionsSchema,
  check: (options) => chainProblems({ options, needs: roleKeys }),
  async run(options) {
    const { common, chain, run, opened } = await startChainRole({
      options,
      role: 'validator',
      // Checkpoints and aggregates' model files go where other hosts fetch them (--store).
      maxBytes: () => maxPublishedFileBytes,
      // Salts of committed weights survive a restart, so the reveal still happens.
      revealStatePath: join(options.stateDir, 'weight-reveals.json'),
    });
    const validator = createValidator({
      common,
      chain,
      redis: options.redisUrl,
      store: opened.store,
      router: createValidatorRouter({ ...options, s3: opened.s3 }),
      corpus: run.corpus,
      hyperparameters: run.hyperparameters,
      modelConfig: run.modelConfig,
      stateDir: options.stateDir,
      inProcessWorkers: options.workers,
      fetchTimeoutMs: options.fetchTimeoutMs,
      downloads: options.downloads,
      blockTimeMs: options.blockTimeMs,
      lockMs: options.lockMs,
      sample: { prompt: options.samplePrompt, maxTokens: options.sampleTokens },
    });
    await validator.run();
    await common.shutdown.kill();
    return exitCodes.ok;
  },
});

/** `tessera worker`: an evaluation worker for a validator, on the same Redis. */
export const workerCommand = defineCommand({
  name: 'worker',
  summary: "Run evaluation workers for a validator's queue.",
  description:
    'Needs no chain and takes no chain flags: jobs carry everything, the model included by URI. Takes evaluation jobs from the BullMQ queue of the validator named by --prefix (it logs its prefix at start) and scores them. Run as many as you like, on any machine that reaches the Redis and the updates; give it the validator’s --store and --s3-* options so it reads the validator’s files. A worker killed mid-job has its job retried by another.',
  schema: workerOptionsSchema,
  async run(options) {
    const logger = loggerOf(options, { role: 'worker' });
    const shutdown = processShutdown(logger);
    const readers = storeReadersOf(options);
    shutdown.add(() => readers.close());
    const run = await loadRunContext({
      ...options,
      router: datasetRouterOf(readers),
      signal: shutdown.signal,
      logger,
    });
    const metrics = await startRoleMetrics({ prefix: 'tessera_worker', options, logger, shutdown });
    const worker = createEvaluationWorker({
      connection: options.redisUrl,
      queueName: options.queue,
      prefix: options.prefix,
      corpus: run.corpus,
      hyperparameters: run.hyperparameters,
      modelConfig: run.modelConfig,
      router: createValidatorRouter({ ...options, s3: readers.s3 }),
      concurrency: options.concurrency,
      downloads: options.downloads,
      fetchTimeoutMs: options.fetchTimeoutMs,
      lockMs: options.lockMs,
      common: { options, logger, metrics, shutdown },
    });
    shutdown.add(() => worker.close());
    logger.info('worker running', { prefix: options.prefix, queue: options.queue });
    await new Promise<void>((resolve) =>
      shutdown.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await shutdown.kill();
    return exitCodes.ok;
  },
});
