import { meanLoss, setParameters, windowMetricsKey } from '@tessera/core';
import type { Model, TokenBatch } from '@tessera/core';
import type { WindowServices } from './types.js';

/** Parameters of {@link reportHeldOutLoss}. */
export type ReportHeldOutLossParameters = Pick<
  WindowServices,
  'redis' | 'subnet' | 'metrics' | 'logger' | 'signal'
> & {
  /** The model to measure on and the fixed held-out batches (`heldOutBatches`); made on first call. */
  measuring: () => { model: Model; batches: TokenBatch[] };
  /** The window whose aggregate made `parameters` (θ_{window+1}). */
  window: number;
  parameters: Float32Array;
};

/**
 * Step 6 (while the workers evaluate): measures θ_{w+1}, the model after window w's aggregate
 * as the chain's followers hold it, on the fixed held-out pages, and writes it as window w's
 * `heldOutLoss` where the REST API reads it (`windowMetricsKey`, docs/api.md). Every
 * validator of the subnet writes the same number for the same model; a failure is logged,
 * never fatal.
 *
 * @example
 * if (w > 0) await reportHeldOutLoss({ ...services, measuring, window: w - 1, parameters: theta });
 */
export async function reportHeldOutLoss(parameters: ReportHeldOutLossParameters): Promise<void> {
  const { redis, subnet, metrics, logger, signal, window } = parameters;
  try {
    const measuring = parameters.measuring();
    setParameters({ model: measuring.model, parameters: parameters.parameters });
    const loss = await meanLoss(measuring);
    metrics.heldOutLoss.set(loss);
    await redis.hset(windowMetricsKey({ subnet, window }), 'heldOutLoss', loss.toFixed(6));
    logger.info('held-out loss', { afterWindow: window, loss });
  } catch (error) {
    if (signal.aborted) throw error;
    logger.warn('held-out loss not measured', { afterWindow: window, error });
  }
}
