import {
  meanLoss,
  sampleTokens,
  setParameters,
  stopTokenOf,
  windowMetricsKey,
  windowSampleField,
} from '@tessera/core';
import type { Model, TextTokenizer, TokenBatch, WindowSample } from '@tessera/core';
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
  /** A short greedy sample of the model to write beside the loss; `maxTokens` 0 writes none. */
  sample?: { prompt: string; maxTokens: number; tokenizer: TextTokenizer } | undefined;
};

/**
 * Step 6 (while the workers evaluate): measures θ_{w+1}, the model after window w's aggregate
 * as the chain's followers hold it, on the fixed held-out pages, and writes it as window w's
 * `heldOutLoss` where the REST API reads it (`windowMetricsKey`, docs/api.md), with a short
 * greedy sample of the same model for the dashboard (`sample`: the prompt and its
 * continuation, temperature 0). Every validator of the subnet writes the same numbers and text
 * for the same model; a failure is logged, never fatal.
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
    const fields: Record<string, string> = { heldOutLoss: loss.toFixed(6) };
    const sample = parameters.sample;
    if (sample !== undefined && sample.maxTokens > 0) {
      const { tokenizer } = sample;
      const prompt = tokenizer.encode(sample.prompt);
      if (prompt.length > 0) {
        const { tokens } = await sampleTokens({
          model: measuring.model,
          prompt,
          maxTokens: sample.maxTokens,
          temperature: 0,
          stopToken: stopTokenOf(tokenizer),
        });
        const written: WindowSample = { prompt: sample.prompt, text: tokenizer.decode(tokens) };
        fields[windowSampleField] = JSON.stringify(written);
      }
    }
    await redis.hset(windowMetricsKey({ subnet, window }), fields);
    logger.info('held-out loss', { afterWindow: window, loss });
  } catch (error) {
    if (signal.aborted) throw error;
    logger.warn('held-out loss not measured', { afterWindow: window, error });
  }
}
