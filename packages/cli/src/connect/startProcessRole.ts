import {
  createMetrics,
  createMetricsServer,
  createShutdown,
  createStoreRouter,
  openStore,
  storeReadersOf,
} from '@tessera/core';
import type {
  Common,
  Logger,
  Metrics,
  OpenedStore,
  Shutdown,
  StoreOptions,
  StoreReaders,
  StoreRouter,
  SubnetChain,
} from '@tessera/core';
import { loadRunContext } from './loadRunContext.js';
import type { LoadRunContextParameters, RunContext } from './loadRunContext.js';
import { loggerOf } from './loggerOf.js';
import { closeChain, openChain } from './openChain.js';
import type { OpenChainParameters } from './openChain.js';

/**
 * The process-wide shutdown of a long-running command: the first SIGINT or SIGTERM stops
 * the role gracefully, a second one exits at once.
 */
export function processShutdown(logger: Logger): Shutdown {
  const shutdown = createShutdown();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn('second signal, exiting now', { signal });
      process.exit(130);
    }
    logger.info('stopping', { signal });
    void shutdown.kill();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  shutdown.add(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });
  return shutdown;
}

/** Options every long-lived role command takes for its metrics endpoint. */
type MetricsOptions = { metricsPort: number; metricsHost: string };

/**
 * The role's Prometheus registry (`prefix`), served on `--metrics-host:--metrics-port`
 * unless the port is 0; the server closes with `shutdown`.
 */
export async function startRoleMetrics(parameters: {
  prefix: string;
  options: MetricsOptions;
  logger: Logger;
  shutdown: Shutdown;
}): Promise<Metrics> {
  const { options, logger, shutdown } = parameters;
  const metrics = createMetrics({ prefix: parameters.prefix });
  if (options.metricsPort > 0) {
    const server = await createMetricsServer({
      metrics,
      host: options.metricsHost,
      port: options.metricsPort,
      logger,
    });
    shutdown.add(() => server.close());
    logger.info('metrics', { url: server.url });
  }
  return metrics;
}

/** The options {@link startChainRole} reads: chain and keys, run config, store, metrics, logs. */
export type OpenRoleOptions = Omit<OpenChainParameters, 'logger' | 'signal' | 'revealStatePath'> &
  Omit<LoadRunContextParameters, 'chain' | 'logger'> &
  StoreOptions &
  MetricsOptions &
  Parameters<typeof loggerOf>[0];

/** What {@link startChainRole} opened for a miner or a validator. */
export type ChainRole = {
  common: Common;
  chain: SubnetChain;
  run: RunContext;
  opened: OpenedStore;
};

/**
 * Starts what a chain-connected role needs, in order, each closed by the process shutdown:
 * the signal handlers, the chain with its keys, the run config (checked against the chain)
 * and its corpus (a dataset read with the role's S3 settings), the role's store (`--store`,
 * objects up to `maxBytes`) and its metrics.
 */
export async function startChainRole<Options extends OpenRoleOptions>(parameters: {
  options: Options;
  role: 'miner' | 'validator';
  maxBytes: (run: RunContext) => number;
  revealStatePath?: string | undefined;
}): Promise<ChainRole & { common: Common<Options> }> {
  const { options, role } = parameters;
  const logger = loggerOf(options, { role });
  const shutdown = processShutdown(logger);
  const connected = await openChain({
    ...options,
    revealStatePath: parameters.revealStatePath,
    logger,
    signal: shutdown.signal,
  });
  const { chain } = connected;
  shutdown.add(() => closeChain(connected));
  const readers = storeReadersOf(options);
  const run = await loadRunContext({
    ...options,
    chain,
    router: datasetRouterOf(readers),
    signal: shutdown.signal,
    logger,
  }).finally(() => readers.close());
  const opened = await openStore({
    options,
    maxBytes: parameters.maxBytes(run),
    logger,
    signal: shutdown.signal,
  });
  shutdown.add(() => opened.close());
  const metrics = await startRoleMetrics({ prefix: `tessera_${role}`, options, logger, shutdown });
  return { common: { options, logger, metrics, shutdown }, chain, run, opened };
}

/**
 * Reads a run dataset's mirrors: folders, HTTP(S) on any address (the mirrors are the run's
 * choice, and every byte is checked against its digest) and `s3://` in the buckets the role
 * reads (`--store`, `--s3-read-buckets`).
 */
export function datasetRouterOf(readers: StoreReaders): StoreRouter {
  return createStoreRouter({ http: { blockPrivateAddresses: false }, s3: readers.s3 });
}
