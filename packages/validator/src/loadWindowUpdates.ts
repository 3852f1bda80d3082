import { UpdateDecodeError, decodeWindowUpdate, digestUpdate } from '@tessera/core';
import type { Commitment, Hyperparameters, Logger } from '@tessera/core';
import type { Redis } from 'ioredis';
import type { WindowUpdate } from './findCopies.js';
import type { ValidatorKeys } from './validatorKeys.js';

/** Parameters of {@link loadWindowUpdates}. */
export type LoadWindowUpdatesParameters = {
  redis: Redis;
  keys: ValidatorKeys;
  window: number;
  /** The commitments whose bytes the workers may have left, with each uid's shard. */
  commitments: readonly (Pick<Commitment, 'uid' | 'digest' | 'block'> & { shard: number })[];
  parameterCount: number;
  hyperparameters: Hyperparameters;
  logger?: Pick<Logger, 'warn'> | undefined;
};

/**
 * Reads back the update bytes the workers left in Redis for a window and decodes each
 * strictly for its uid's shard. Bytes that are gone, that do not match the commitment's
 * digest, or that do not decode are left out: the worker's verdict on them stands.
 *
 * @returns The decoded updates, ascending by uid.
 * @example
 * const updates = await loadWindowUpdates({ redis, keys, window, commitments, parameterCount, hyperparameters });
 */
export async function loadWindowUpdates(parameters: LoadWindowUpdatesParameters): Promise<WindowUpdate[]> {
  const { redis, keys, window, commitments, parameterCount, hyperparameters } = parameters;
  if (commitments.length === 0) return [];
  const ordered = [...commitments].sort((a, b) => a.uid - b.uid);
  const stored = await redis.mgetBuffer(...ordered.map((c) => keys.updateBytes(window, c.uid)));
  const out: WindowUpdate[] = [];
  ordered.forEach((commitment, i) => {
    const buffer = stored[i];
    if (!buffer) return;
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (digestUpdate(bytes) !== commitment.digest.toLowerCase()) return;
    try {
      const { indices, values } = decodeWindowUpdate({
        bytes,
        window,
        shard: commitment.shard,
        parameterCount,
        hyperparameters,
      });
      out.push({ uid: commitment.uid, block: commitment.block, indices, values });
    } catch (error) {
      if (!(error instanceof UpdateDecodeError)) throw error;
      parameters.logger?.warn('stored update does not decode', { uid: commitment.uid, reason: error.reason });
    }
  });
  return out;
}
