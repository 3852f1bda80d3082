import type { Metrics } from '@tessera/core';

/**
 * Declares the window loop's `tessera_validator_*` metrics on the process's registry
 * (declaring them again returns the same ones).
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
  };
}

/** The validator's metrics; see {@link declareValidatorMetrics}. */
export type ValidatorMetrics = ReturnType<typeof declareValidatorMetrics>;
