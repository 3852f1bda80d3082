import { ApiPromise, WsProvider } from '@polkadot/api';
import type { ApiOptions } from '@polkadot/api/types';
import type { Logger } from '../../common/logger.js';
import { NonRetryableChainError, RetryableChainError } from '../../errors/chain.js';
import { retryChainCall } from '../retryChainCall.js';
import { toChainError } from './toChainError.js';
import type { RetryOptions } from '../types.js';

/** Parameters of {@link connectSubstrate}. */
export type ConnectSubstrateParameters = {
  /** `ws://` or `wss://` endpoint. */
  wsUrl: string;
  /** Milliseconds one RPC request may take. @default 30000 */
  rpcTimeoutMs?: number | undefined;
  /** Milliseconds between the provider's reconnection attempts after a drop. @default 2500 */
  reconnectDelayMs?: number | undefined;
  /** Milliseconds one connection attempt (socket and metadata) may take. @default 30000 */
  connectTimeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
  logger?: Logger | undefined;
  signal?: AbortSignal | undefined;
};

/**
 * Opens an @polkadot/api connection to a Substrate node, retrying with backoff while the
 * node cannot be reached. Once connected the provider reconnects by itself after drops; calls
 * made while it is down fail with a retryable `connection` ChainError.
 *
 * @returns A ready ApiPromise; close it with `api.disconnect()`.
 * @throws NonRetryableChainError `invalid-parameter` on a malformed URL; RetryableChainError
 *   `connection` or `timeout` when every attempt failed.
 * @example
 * const api = await connectSubstrate({ wsUrl: 'ws://127.0.0.1:9944' });
 */
export async function connectSubstrate(parameters: ConnectSubstrateParameters): Promise<ApiPromise> {
  const { wsUrl, logger } = parameters;
  let url: URL;
  try {
    url = new URL(wsUrl);
  } catch (error) {
    throw new NonRetryableChainError('invalid-parameter', 'The chain endpoint is not a URL.', {
      details: String(wsUrl),
      cause: error,
    });
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new NonRetryableChainError(
      'invalid-parameter',
      'The chain endpoint must be a ws:// or wss:// URL.',
      { details: wsUrl },
    );
  }
  const rpcTimeoutMs = parameters.rpcTimeoutMs ?? 30_000;
  const connectTimeoutMs = parameters.connectTimeoutMs ?? 30_000;

  return retryChainCall({
    action: `connect to ${url.origin}`,
    classify: toChainError,
    retry: parameters.retry,
    logger,
    signal: parameters.signal,
    run: async () => {
      const provider = new WsProvider(wsUrl, parameters.reconnectDelayMs ?? 2_500, {}, rpcTimeoutMs);
      let timer: NodeJS.Timeout | undefined;
      const creating = ApiPromise.create({
        provider: provider as unknown as NonNullable<ApiOptions['provider']>,
        throwOnConnect: true,
        noInitWarn: true,
      });
      // A late failure after a timeout must not surface as an unhandled rejection.
      creating.catch(() => undefined);
      try {
        const api = await Promise.race([
          creating,
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () =>
                reject(
                  new RetryableChainError('timeout', 'The chain did not answer in time.', {
                    details: `${connectTimeoutMs} ms, ${wsUrl}`,
                  }),
                ),
              connectTimeoutMs,
            );
          }),
        ]);
        logger?.info('connected to chain', {
          url: url.origin,
          chain: (await api.rpc.system.chain()).toString(),
          specName: api.runtimeVersion.specName.toString(),
          specVersion: api.runtimeVersion.specVersion.toNumber(),
        });
        return api;
      } catch (error) {
        await provider.disconnect().catch(() => undefined);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  });
}
