import { apiOptionsSchema, startApi } from '@tessera/api';
import { createLogger, createMetrics } from '@tessera/core';
import { chainProblems } from '../connect/chainChecks.js';
import { processShutdown } from '../connect/startProcessRole.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';

/** `tessera api`: the read-only REST API and dashboard for token holders. */
export const apiCommand = defineCommand({
  name: 'api',
  summary:
    'Serve the rewards REST API (and on EVM the dashboard), from the subnet’s events or chain storage.',
  description:
    'EVM (--chain evm): indexes the Subnet contract’s events into Redis (confirmed blocks only, resuming where it stopped) and serves read-only JSON under /v1 with OpenAPI docs at /docs, Prometheus metrics at /metrics and a dashboard at /. Subtensor (--chain subtensor --ws … --netuid N): serves /v1/subnet, /v1/neurons, /v1/windows/{window} and /v1/accounts/{address}/rewards from chain storage, read live; no key, no Redis. Both read the verdicts files the validators publish beside their aggregates, over http(s) from public addresses only unless --verdicts-private-addresses (or --verdicts-file-uris) allows more. Ctrl-C stops it.',
  schema: apiOptionsSchema,
  check: (options) => chainProblems({ options, needs: { evmKey: false, hotkey: 'none', coldkey: false } }),
  async run(options) {
    const logger = createLogger({
      level: options.logLevel,
      format: options.logFormat,
      fields: { role: 'api' },
    });
    const shutdown = processShutdown(logger);
    const metrics = createMetrics({ prefix: 'tessera_api' });
    const api = await startApi({ common: { options, logger, metrics, shutdown } });
    logger.info('api listening', { url: api.url });
    await new Promise<void>((resolve) =>
      shutdown.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await shutdown.kill();
    return exitCodes.ok;
  },
});
