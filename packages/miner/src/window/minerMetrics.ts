import { declareAccountMetrics } from '@tessera/core';
import type { Metrics } from '@tessera/core';

/**
 * Declares the miner's `tessera_miner_*` metrics on the process's registry, the account
 * gauges (`account_*`, see `declareAccountMetrics`) among them.
 *
 * @example
 * const metrics = declareMinerMetrics(common.metrics);
 */
export function declareMinerMetrics(metrics: Metrics) {
  return {
    windows: metrics.counter<'result'>({
      name: 'windows_total',
      help: 'Windows the miner finished, by result: committed, skipped, rejected, failed, out-of-sync.',
      labelNames: ['result'],
    }),
    window: metrics.gauge({ name: 'window', help: 'Window the miner is working on.' }),
    innerLoss: metrics.gauge<'at'>({
      name: 'inner_loss',
      help: 'Inner training loss of the last trained window, at its first and last step (nats per token).',
      labelNames: ['at'],
    }),
    updateBytes: metrics.gauge({ name: 'update_bytes', help: 'Size of the last uploaded update, in bytes.' }),
    uploadedBytes: metrics.counter({ name: 'uploaded_bytes_total', help: 'Update bytes uploaded.' }),
    compressionRatio: metrics.gauge({
      name: 'compression_ratio',
      help: 'Float32 size of the shard over the size of the last uploaded update.',
    }),
    trainingSeconds: metrics.histogram({
      name: 'training_seconds',
      help: 'Time of the inner training loop of one window, in seconds.',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    }),
    commitSeconds: metrics.histogram({
      name: 'commit_seconds',
      help: 'Time from sending a commitment to its inclusion, in seconds.',
      buckets: [0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60],
    }),
    blocksBeforeDeadline: metrics.gauge({
      name: 'commit_blocks_before_deadline',
      help: 'Blocks between the last commitment and its window’s deadline.',
    }),
    account: declareAccountMetrics(metrics),
  };
}

/** The miner's metrics; see {@link declareMinerMetrics}. */
export type MinerMetrics = ReturnType<typeof declareMinerMetrics>;
