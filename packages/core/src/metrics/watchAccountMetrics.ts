import type { SubnetChain } from '../chain/types.js';
import type { Logger } from '../common/logger.js';
import { sleep } from '../common/shutdown.js';
import { chainUnits } from '../config/chainAmount.js';
import { MetricsError } from '../errors/metrics.js';
import type { Metrics } from './createMetrics.js';

/** Seconds between two reads of the account's balance and stake unless told otherwise. */
export const defaultAccountReadSeconds = 60;

/**
 * Declares the `<prefix>_account_*` gauges a role reports its own account on (declaring
 * them again returns the same ones).
 *
 * @example
 * const account = declareAccountMetrics(common.metrics);
 * account.balance.set({ coin: 'fees' }, 0.42);
 */
export function declareAccountMetrics(metrics: Metrics) {
  return {
    balance: metrics.gauge<'coin'>({
      name: 'account_balance',
      help: 'What the signing account holds, in whole coins, by coin: token (TSR on EVM, free TAO on subtensor) and fees (ether on EVM; the same TAO on subtensor).',
      labelNames: ['coin'],
    }),
    stake: metrics.gauge({
      name: 'account_stake',
      help: 'Stake of this neuron on the subnet (self and delegated), in whole tokens; 0 when it holds no uid.',
    }),
    registered: metrics.gauge({
      name: 'account_registered',
      help: '1 while the signing account holds a uid on the subnet, else 0.',
    }),
    reads: metrics.counter<'result'>({
      name: 'account_reads_total',
      help: 'Reads of the account’s balance and stake from the chain, by result: ok, failed.',
      labelNames: ['result'],
    }),
    lastRead: metrics.gauge({
      name: 'account_read_timestamp_seconds',
      help: 'Unix time of the last successful read of the account’s balance and stake.',
    }),
  };
}

/** The gauges of {@link declareAccountMetrics}. */
export type AccountMetrics = ReturnType<typeof declareAccountMetrics>;

/** Parameters of {@link watchAccountMetrics}. */
export type WatchAccountMetricsParameters = {
  chain: SubnetChain;
  /** The role's registry: the gauges are declared on it. */
  metrics: Metrics;
  logger: Logger;
  /** Stops the reads. */
  signal: AbortSignal;
  /**
   * Seconds between reads: each costs a balance read or two and one metagraph read, so keep
   * it well above the block time. At least 5. @default 60
   */
  intervalSeconds?: number | undefined;
};

/**
 * Reads the signing account's balance (where the backend can) and its neuron's stake now and
 * then, and keeps the `account_*` gauges on them until `signal` aborts. One read runs at a
 * time; a failed read is counted and logged at debug, and the gauges keep their last values
 * (`account_read_timestamp_seconds` tells how old they are).
 *
 * @returns Resolves once the signal aborted; it never rejects.
 * @throws MetricsError for an interval below 5 seconds (before any read).
 * @example
 * const watching = watchAccountMetrics({ chain, metrics: common.metrics, logger, signal });
 * // … run the role …
 * await watching;
 */
export function watchAccountMetrics(parameters: WatchAccountMetricsParameters): Promise<void> {
  const { chain, logger, signal } = parameters;
  const intervalSeconds = parameters.intervalSeconds ?? defaultAccountReadSeconds;
  if (!(Number.isFinite(intervalSeconds) && intervalSeconds >= 5)) {
    throw new MetricsError('The account read interval must be at least 5 seconds.', {
      details: String(intervalSeconds),
      hint: 'Reads cost RPC calls; once a minute is plenty for a balance.',
    });
  }
  const gauges = declareAccountMetrics(parameters.metrics);
  const decimals = chainUnits[chain.kind === 'subtensor' ? 'subtensor' : 'evm'].decimals;
  const whole = (value: bigint) => Number(value) / 10 ** decimals;
  const feeDecimals = chain.kind === 'subtensor' ? decimals : 18;

  const readOnce = async () => {
    const balance = chain.balance ? await chain.balance() : undefined;
    const { neurons } = await chain.metagraph();
    const own = chain.address.toLowerCase();
    const neuron = neurons.find((n) => n.hotkey.toLowerCase() === own);
    if (balance) {
      gauges.balance.set({ coin: 'token' }, whole(balance.token));
      gauges.balance.set({ coin: 'fees' }, Number(balance.fees) / 10 ** feeDecimals);
    }
    gauges.stake.set(neuron ? whole(neuron.stake) : 0);
    gauges.registered.set(neuron ? 1 : 0);
    gauges.lastRead.set(Date.now() / 1000);
  };

  return (async () => {
    while (!signal.aborted) {
      try {
        await readOnce();
        gauges.reads.inc({ result: 'ok' });
      } catch (error) {
        if (signal.aborted) break;
        gauges.reads.inc({ result: 'failed' });
        logger.debug('reading the account for metrics failed', { error });
      }
      await sleep(intervalSeconds * 1000, signal).catch(() => undefined);
    }
  })();
}
