import { decodeSubnetLogs } from '@tessera/contracts';
import type { Deployment } from '@tessera/contracts';
import { isRetryable, silentLogger, sleep } from '@tessera/core';
import type { Logger, Metrics } from '@tessera/core';
import { JsonRpcProvider } from 'ethers';
import type { Redis } from 'ioredis';
import { ApiConfigError, IndexFormatError, IndexReorgError, IndexerError } from '../errors/indexer.js';
import { createIndexWriter } from '../store/createIndexWriter.js';
import { indexFormatVersion } from '../store/indexKeys.js';
import { applySubnetEvents } from './applySubnetEvents.js';
import { fetchSubnetLogs } from './fetchSubnetLogs.js';
import type { IndexerProvider } from './fetchSubnetLogs.js';

/** Parameters of {@link createIndexer}. Give `provider` or `rpcUrl`. */
export type CreateIndexerParameters = {
  /** Chain reads (an ethers v6 Provider works). */
  provider?: IndexerProvider | undefined;
  /** JSON-RPC endpoint, used when no provider is given. */
  rpcUrl?: string | undefined;
  /** Where the subnet lives and its parameters. */
  deployment: Deployment;
  /** Redis holding the index; the indexer opens a connection of its own from it. */
  redis: Redis;
  /** Blocks a block must have on top of it before it is indexed; reorgs shallower than this never reach the index. @default 2 */
  confirmations?: number | undefined;
  /** Most blocks read and committed at once. @default 2000 */
  batchBlocks?: number | undefined;
  /** Pause between passes once caught up, in milliseconds. @default 2000 */
  pollIntervalMs?: number | undefined;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** Registry to export indexer metrics in (indexed and head block, events, errors). */
  metrics?: Metrics | undefined;
};

/** Where the indexer stands. */
export type IndexerStatus = {
  /** `failed` after an error no retry can cure (see `lastError`); the loop has stopped. */
  state: 'idle' | 'running' | 'stopped' | 'failed';
  /** Last block whose events are all indexed; null before the first commit. */
  indexedBlock: number | null;
  /** Chain head at the last pass. */
  headBlock: number | null;
  /** Events indexed by this process. */
  events: number;
  lastError: string | null;
};

/** What one {@link Indexer.syncOnce} pass indexed. */
export type SyncResult = {
  /** First and last block indexed in this pass; toBlock < fromBlock when there was nothing to do. */
  fromBlock: number;
  toBlock: number;
  events: number;
  /** Epochs settled in the range. */
  epochs: number[];
  /** Committed batches. */
  batches: number;
};

/** A running indexer; see {@link createIndexer}. */
export type Indexer = {
  /**
   * Indexes every confirmed block after the cursor, in batches, each committed atomically
   * with the cursor. `toBlock` stops earlier (never past the confirmed head).
   */
  syncOnce(parameters?: { toBlock?: number | undefined }): Promise<SyncResult>;
  /** Runs passes in the background until {@link Indexer.stop}; retries with backoff on retryable errors. */
  start(): void;
  /** Stops the loop, waits for the pass in flight, and closes the indexer's connections. */
  stop(): Promise<void>;
  status(): IndexerStatus;
};

/**
 * Creates the indexer of a subnet's events: it reads the Subnet's logs block range by block
 * range, only up to `head − confirmations`, applies them to the index in Redis and moves the
 * cursor in the same MULTI/EXEC. It resumes from the cursor after a restart, never applies a
 * block twice, and refuses to go on (state `failed`) when the chain no longer holds the block
 * at the cursor — a reorganisation deeper than `confirmations`.
 *
 * @returns The indexer; call `start()` to follow the chain, or `syncOnce()` to catch up once.
 * @throws ApiConfigError on invalid parameters.
 * @example
 * const indexer = createIndexer({ rpcUrl, deployment, redis, confirmations: 2, logger });
 * indexer.start();
 * shutdown.add(() => indexer.stop());
 */
export function createIndexer(parameters: CreateIndexerParameters): Indexer {
  const { deployment, redis } = parameters;
  const confirmations = parameters.confirmations ?? 2;
  const batchBlocks = parameters.batchBlocks ?? 2000;
  const pollIntervalMs = parameters.pollIntervalMs ?? 2000;
  const logger = (parameters.logger ?? silentLogger).child({ service: 'indexer' });
  const problems: string[] = [];
  if (!Number.isSafeInteger(confirmations) || confirmations < 0)
    problems.push(`confirmations: expected an integer ≥ 0, got ${confirmations}`);
  if (!Number.isSafeInteger(batchBlocks) || batchBlocks < 1)
    problems.push(`batchBlocks: expected an integer ≥ 1, got ${batchBlocks}`);
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs < 0)
    problems.push(`pollIntervalMs: expected a number ≥ 0, got ${pollIntervalMs}`);
  if (!parameters.provider && !parameters.rpcUrl) problems.push('provider or rpcUrl: give one');
  if (problems.length > 0)
    throw new ApiConfigError('Invalid indexer parameters.', { metaMessages: problems });

  const ownProvider = parameters.provider
    ? undefined
    : new JsonRpcProvider(parameters.rpcUrl, deployment.chainId, { staticNetwork: true });
  const provider: IndexerProvider = parameters.provider ?? (ownProvider as JsonRpcProvider);
  const connection = redis.duplicate();
  const writer = createIndexWriter({ redis: connection, subnet: deployment.subnet });
  const keys = writer.keys;

  const metrics = parameters.metrics;
  const indexedGauge = metrics?.gauge({
    name: 'indexer_block',
    help: 'Last block whose events are all indexed.',
  });
  const headGauge = metrics?.gauge({ name: 'indexer_head_block', help: 'Chain head seen by the indexer.' });
  const eventsCounter = metrics?.counter({ name: 'indexer_events_total', help: 'Subnet events indexed.' });
  const errorsCounter = metrics?.counter({
    name: 'indexer_errors_total',
    help: 'Indexer passes that failed, by whether a retry may help.',
    labelNames: ['retryable'] as const,
  });
  const mismatchCounter = metrics?.counter({
    name: 'indexer_reference_mismatches_total',
    help: 'Settled epochs whose payouts differ from the settlement reference.',
  });

  const status: IndexerStatus = {
    state: 'idle',
    indexedBlock: null,
    headBlock: null,
    events: 0,
    lastError: null,
  };
  let controller: AbortController | undefined;
  let loop: Promise<void> | undefined;
  let inFlight: Promise<SyncResult> | undefined;
  let closed = false;

  const checkMeta = async () => {
    const meta = await connection.hgetall(keys.meta);
    if (meta.version === undefined) {
      writer.hset(keys.meta, 'version', String(indexFormatVersion));
      writer.hset(keys.meta, 'subnet', deployment.subnet);
      writer.hset(keys.meta, 'chainId', String(deployment.chainId));
      writer.hset(keys.meta, 'deployBlock', String(deployment.deployBlock));
      return;
    }
    const expected = {
      version: String(indexFormatVersion),
      chainId: String(deployment.chainId),
      deployBlock: String(deployment.deployBlock),
    };
    const wrong = Object.entries(expected).filter(([field, value]) => meta[field] !== value);
    if (wrong.length > 0) {
      throw new IndexFormatError('The index in Redis was built for another deployment or format.', {
        metaMessages: wrong.map(([field, value]) => `${field}: index has ${meta[field]}, expected ${value}`),
        hint: `Use another Redis database, or delete the keys ${keys.prefix}* except ${keys.prefix}metrics:* and index again.`,
      });
    }
  };

  const pass = async (toBlock?: number): Promise<SyncResult> => {
    const head = await provider.getBlockNumber();
    status.headBlock = head;
    headGauge?.set(head);
    let safe = head - confirmations;
    if (toBlock !== undefined) safe = Math.min(safe, toBlock);

    const cursor = await writer.readCursor();
    if (cursor) {
      const block = await provider.getBlock(cursor.block);
      if (!block || block.hash !== cursor.hash) {
        throw new IndexReorgError('The chain no longer holds the last indexed block.', {
          details: `block ${cursor.block}: indexed ${cursor.hash}, chain has ${block?.hash ?? 'nothing'}`,
          hint: `A reorganisation went deeper than ${confirmations} confirmations. Raise --confirmations, delete the keys ${keys.prefix}* except ${keys.prefix}metrics:*, and index again.`,
        });
      }
    } else {
      await checkMeta();
    }
    status.indexedBlock = cursor?.block ?? null;
    const start = cursor ? cursor.block + 1 : deployment.deployBlock;
    const result: SyncResult = { fromBlock: start, toBlock: start - 1, events: 0, epochs: [], batches: 0 };

    for (let from = start; from <= safe; from += batchBlocks) {
      if (controller?.signal.aborted) break;
      const to = Math.min(from + batchBlocks - 1, safe);
      const logs = await fetchSubnetLogs({
        provider,
        address: deployment.subnet,
        fromBlock: from,
        toBlock: to,
      });
      const block = await provider.getBlock(to);
      if (!block?.hash)
        throw new IndexerError('The chain did not return a confirmed block.', { details: `block ${to}` });
      const events = decodeSubnetLogs({ logs });
      const applied = await applySubnetEvents({ writer, params: deployment.params, events, logger });
      await writer.commit({ block: to, hash: block.hash });

      result.toBlock = to;
      result.events += applied.events;
      result.batches += 1;
      result.epochs.push(...applied.epochs.map((e) => e.epoch));
      status.indexedBlock = to;
      status.events += applied.events;
      indexedGauge?.set(to);
      eventsCounter?.inc(applied.events);
      mismatchCounter?.inc(applied.epochs.filter((e) => !e.referenceMatches).length);
      if (applied.events > 0 || to === safe) {
        logger.debug('indexed', { fromBlock: from, toBlock: to, events: applied.events });
      }
    }
    return result;
  };

  const indexer: Indexer = {
    async syncOnce(options = {}) {
      if (closed) throw new IndexerError('The indexer is stopped.');
      while (inFlight) await inFlight.catch(() => undefined);
      inFlight = pass(options.toBlock);
      try {
        return await inFlight;
      } catch (error) {
        writer.discard();
        throw error;
      } finally {
        inFlight = undefined;
      }
    },
    start() {
      if (loop || closed) return;
      controller = new AbortController();
      const { signal } = controller;
      status.state = 'running';
      logger.info('indexing', {
        subnet: deployment.subnet,
        confirmations,
        fromBlock: deployment.deployBlock,
      });
      loop = (async () => {
        let failures = 0;
        while (!signal.aborted) {
          let wait = pollIntervalMs;
          try {
            const result = await indexer.syncOnce();
            failures = 0;
            status.lastError = null;
            if (result.events > 0) logger.info('indexed', { toBlock: result.toBlock, events: result.events });
          } catch (error) {
            const retryable = isRetryable(error) || !(error instanceof Error && 'retryable' in error);
            errorsCounter?.inc({ retryable: String(retryable) });
            status.lastError = error instanceof Error ? error.message : String(error);
            if (!retryable) {
              status.state = 'failed';
              logger.error('indexer stopped', { error });
              return;
            }
            failures += 1;
            wait = Math.min(30_000, Math.max(pollIntervalMs, 250) * 2 ** Math.min(failures, 6));
            logger.warn('indexer pass failed; retrying', { error, retryInMs: wait });
          }
          await sleep(wait, signal).catch(() => undefined);
        }
      })();
    },
    async stop() {
      if (closed) return;
      closed = true;
      controller?.abort();
      await loop;
      await inFlight?.catch(() => undefined);
      if (status.state !== 'failed') status.state = 'stopped';
      connection.disconnect();
      ownProvider?.destroy();
    },
    status: () => ({ ...status }),
  };
  return indexer;
}
