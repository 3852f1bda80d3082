import { NonRetryableError } from '@tessera/errors';

/**
 * A metric was declared wrongly: a bad name or label, or one name used for two kinds.
 *
 * @example
 * throw new MetricsError('Invalid metric name.', { details: 'updates-total' });
 */
export class MetricsError extends NonRetryableError {
  override name = 'MetricsError';
}
