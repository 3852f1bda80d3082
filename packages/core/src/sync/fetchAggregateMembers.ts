import { isRetryable } from '@tessera/errors';
import type { Aggregate, SubnetChain, SubnetTiming } from '../chain/types.js';
import { digestUpdate } from '../codec/digestUpdate.js';
import { UpdateDecodeError } from '../errors/codec.js';
import { NonRetryableSyncError, RetryableSyncError } from '../errors/sync.js';
import type { AggregateMember } from '../protocol/aggregateUpdates.js';
import { decodeWindowUpdate } from '../protocol/decodeWindowUpdate.js';
import type { Hyperparameters } from '../protocol/hyperparametersSchema.js';
import { startBlockOfWindow } from '../protocol/startBlockOfWindow.js';
import type { StoreRouter } from '../storage/createStoreRouter.js';
import { downloadWithRetry } from './downloadWithRetry.js';
import { shardOfUid } from './shardOfUid.js';

/** Parameters of {@link fetchAggregateMembers}. */
export type FetchAggregateMembersParameters = {
  chain: Pick<SubnetChain, 'commitments' | 'blockHash'>;
  router: Pick<StoreRouter, 'get'>;
  timing: SubnetTiming;
  hyperparameters: Hyperparameters;
  parameterCount: number;
  aggregate: Aggregate;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  signal?: AbortSignal | undefined;
};

/**
 * Downloads the committed updates of an aggregation set, checks each against its committed
 * digest and decodes it strictly for its window and its uid's shard. Internal to sync/.
 *
 * @throws NonRetryableSyncError `aggregate-update-missing` (no commitment, or the store has
 *   no such object) or `aggregate-update-invalid` (digest or decoding);
 *   RetryableSyncError `aggregate-update-unavailable` when downloads keep failing.
 */
export async function fetchAggregateMembers(
  parameters: FetchAggregateMembersParameters,
): Promise<AggregateMember[]> {
  const { chain, router, timing, hyperparameters: h, parameterCount, aggregate, signal } = parameters;
  const { window } = aggregate;
  const commitments = new Map((await chain.commitments({ window })).map((c) => [c.uid, c]));
  const blockHash =
    h.shards > 1 ? await chain.blockHash(startBlockOfWindow({ ...timing, window })) : undefined;

  return Promise.all(
    aggregate.uids.map(async (uid): Promise<AggregateMember> => {
      const commitment = commitments.get(uid);
      if (commitment === undefined) {
        throw new NonRetryableSyncError(
          'aggregate-update-missing',
          `uid ${uid} of the aggregation set has no commitment.`,
          {
            window,
            details: `set ${JSON.stringify(aggregate.uids)}, committed ${JSON.stringify([...commitments.keys()])}`,
          },
        );
      }
      let bytes: Uint8Array;
      try {
        bytes = await downloadWithRetry({
          router,
          uri: commitment.uri,
          maxBytes: h.maxUpdateBytes,
          timeoutMs: parameters.timeoutMs,
          attempts: parameters.attempts,
          backoffMs: parameters.backoffMs,
          signal,
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        const details = {
          window,
          details: `${commitment.uri}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
          hint: 'A newer checkpoint lets sync skip this window.',
          cause: error,
        };
        const message = `Could not download the update of uid ${uid}.`;
        if (isRetryable(error))
          throw new RetryableSyncError('aggregate-update-unavailable', message, details);
        throw new NonRetryableSyncError('aggregate-update-missing', message, details);
      }
      const digest = digestUpdate(bytes);
      if (digest !== commitment.digest.toLowerCase()) {
        throw new NonRetryableSyncError(
          'aggregate-update-invalid',
          `The update of uid ${uid} does not match its digest.`,
          {
            window,
            details: `${digest} != ${commitment.digest} at ${commitment.uri}`,
          },
        );
      }
      const shard =
        blockHash === undefined
          ? 0
          : shardOfUid({ runSeed: h.runSeed, window, uid, blockHash, shards: h.shards });
      try {
        const { indices, values } = decodeWindowUpdate({
          bytes,
          window,
          shard,
          parameterCount,
          hyperparameters: h,
        });
        return { uid, indices, values };
      } catch (error) {
        if (!(error instanceof UpdateDecodeError)) throw error;
        throw new NonRetryableSyncError(
          'aggregate-update-invalid',
          `The update of uid ${uid} does not decode.`,
          {
            window,
            details: `malformed:${error.reason}`,
            cause: error,
          },
        );
      }
    }),
  );
}
