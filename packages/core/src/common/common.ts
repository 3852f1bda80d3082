import type { Metrics } from '../metrics/createMetrics.js';
import type { Logger } from './logger.js';
import type { Shutdown } from './shutdown.js';

/**
 * What every long-lived service of a process shares (ponder's `internal/common.ts`): the
 * miner, the validator, the evaluation worker, the API and its indexer take one as
 * `common`, and a process builds it once.
 *
 * @typeParam TOptions - the options the process was started with; a service that reads its
 *   settings from `common.options` names its own options type here.
 * @example
 * const options = buildOptions({ schema: minerOptionsSchema, argv });
 * const logger = createLogger({ level: options.logLevel, fields: { role: 'miner' } });
 * const common: Common<MinerOptions> = { options, logger, metrics: createMetrics({ prefix: 'tessera_miner' }), shutdown: createShutdown() };
 * const miner = createMiner({ common, chain, store, router, corpus, hyperparameters, modelConfig, stateDir });
 */
export type Common<TOptions extends object = object> = {
  /** The process's options, as `buildOptions` returned them (frozen); `{}` where a test or the devnet wires a service by hand. */
  options: TOptions;
  /** The process's logger; services add their own fields with `child`. */
  logger: Logger;
  /** The process's registry (`createMetrics({ prefix: 'tessera_<role>' })`); serve it with `createMetricsServer`. */
  metrics: Metrics;
  /** Aborted when the process stops; services register their cleanups on it. */
  shutdown: Shutdown;
};
