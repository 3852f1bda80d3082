import { declareAccountMetrics } from '@tessera/core';
import type { Metrics } from '@tessera/core';

/**
 * Declares the window loop's `tessera_validator_*` metrics on the process's registry
 * (declaring them again returns the same ones), the account gauges (`account_*`, see
 * `declareAccountMetrics`) among them.
 *
 * The per-uid gauges (`miner_score`, `miner_window_score`) carry one series per miner uid of
 * the metagraph, so they are bounded by the subnet's max uids (`maxUids`, 256 unless the
 * deployment set it, at most 4096 on EVM; `MaxAllowedUids` on subtensor, 256 on most
 * subnets); a uid that leaves the metagraph loses its series at the next window.
 *
 * @example
 * const metrics = declareValidatorMetrics(common.metrics);
 * metrics.windows.inc({ outcome: 'done' });
 */
export function declareValidatorMetrics(metrics: Metrics) {
  return {
    windows: metrics.counter<'outcome'>({
      name: 'windows_total',
      help: 'Windows processed, by outcome.',
      labelNames: ['outcome'],
    }),
    window: metrics.gauge({ name: 'window', help: 'The last window processed.' }),
    verdicts: metrics.counter<'status'>({
      name: 'verdicts_total',
      help: 'Verdicts on miners, by status.',
      labelNames: ['status'],
    }),
    rejections: metrics.counter<'reason'>({
      name: 'rejections_total',
      help: 'Updates rejected or missing, by reason.',
      labelNames: ['reason'],
    }),
    heldOutLoss: metrics.gauge({
      name: 'held_out_loss',
      help: 'Loss of the latest θ on the fixed held-out pages, in nats per token.',
    }),
    aggregateSize: metrics.gauge({ name: 'aggregate_size', help: 'Updates in the last aggregation set.' }),
    weightsSet: metrics.counter({ name: 'weights_set_total', help: 'Times weights were set on chain.' }),
    chainErrors: metrics.counter<'operation'>({
      name: 'chain_errors_total',
      help: 'Chain writes that failed, by operation.',
      labelNames: ['operation'],
    }),
    weightsSetAt: metrics.gauge({
      name: 'weights_set_timestamp_seconds',
      help: 'Unix time the validator last set weights on chain.',
    }),
    evaluationJobs: metrics.gauge<'state'>({
      name: 'evaluation_jobs',
      help: 'Jobs in the evaluation queue, by state: waiting, waiting-children (for their download), active, delayed (a retry’s backoff), failed (kept a day).',
      labelNames: ['state'],
    }),
    minerScore: metrics.gauge<'uid'>({
      name: 'miner_score',
      help: 'Moving average of each miner uid’s score, what its weight is computed from (one series per uid: at most the subnet’s max uids).',
      labelNames: ['uid'],
    }),
    minerWindowScore: metrics.gauge<'uid'>({
      name: 'miner_window_score',
      help: 'Score of each miner uid in the last window scored, 0 when rejected or missing (one series per uid: at most the subnet’s max uids).',
      labelNames: ['uid'],
    }),
    account: declareAccountMetrics(metrics),
  };
}

/** The validator's metrics; see {@link declareValidatorMetrics}. */
export type ValidatorMetrics = ReturnType<typeof declareValidatorMetrics>;
