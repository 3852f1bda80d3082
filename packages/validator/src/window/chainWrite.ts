import { isRetryable } from '@tessera/core';
import type { WindowServices } from './types.js';

/** Parameters of {@link chainWrite}. */
export type ChainWriteParameters = Pick<WindowServices, 'logger' | 'signal' | 'metrics'> & {
  /** The metric label and log name: `publish_aggregate`, `set_weights`, … */
  operation: string;
  write: () => Promise<unknown>;
};

/**
 * Runs a chain write; a failure is logged and counted (`chain_errors_total{operation}`), never
 * fatal, so the next window goes on. A failure after the shutdown signal aborted is thrown.
 *
 * @returns Whether the write went through.
 * @example
 * const ok = await chainWrite({ ...services, operation: 'reveal_weights', write: () => chain.revealPendingWeights() });
 */
export async function chainWrite(parameters: ChainWriteParameters): Promise<boolean> {
  const { logger, signal, metrics, operation } = parameters;
  try {
    await parameters.write();
    return true;
  } catch (error) {
    if (signal.aborted) throw error;
    metrics.chainErrors.inc({ operation });
    logger.warn(`${operation} failed`, { error, retryable: isRetryable(error) });
    return false;
  }
}
