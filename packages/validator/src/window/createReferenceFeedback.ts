import { shardRange } from '@tessera/core';
import type { WindowServices } from './types.js';

/** Parameters of {@link createReferenceFeedback}. */
export type CreateReferenceFeedbackParameters = Pick<WindowServices, 'redis' | 'keys'> & {
  shards: number;
  parameterCount: number;
};

/** The reference update's error-feedback buffers, one per shard, kept in Redis. */
export type ReferenceFeedback = {
  /** Every shard's buffer, in shard order: the stored one, or zeros when none of its length is stored. */
  load(): Promise<Float32Array[]>;
  /** Stores the buffers (little-endian float32) under `reference-feedback:<shard>`. */
  save(buffers: readonly Float32Array[]): Promise<void>;
};

/**
 * The reference update's error-feedback buffers in Redis, beside the averages, so a restarted
 * validator's reference keeps the norm an honest miner's has.
 *
 * @example
 * const feedback = createReferenceFeedback({ redis, keys, shards: h.shards, parameterCount: theta.length });
 * const buffers = await feedback.load();
 * await trainReferenceUpdate({ ..., errorFeedback: buffers });
 * await feedback.save(buffers);
 */
export function createReferenceFeedback(parameters: CreateReferenceFeedbackParameters): ReferenceFeedback {
  const { redis, keys, shards, parameterCount } = parameters;
  return {
    async load() {
      const buffers: Float32Array[] = [];
      for (let shard = 0; shard < shards; shard++) {
        const { length } = shardRange({ parameterCount, shards, shard });
        const stored = await redis.getBuffer(keys.referenceFeedback(shard));
        const buffer = new Float32Array(length);
        if (stored && stored.byteLength === length * 4) {
          const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
          for (let i = 0; i < length; i++) buffer[i] = view.getFloat32(i * 4, true);
        }
        buffers.push(buffer);
      }
      return buffers;
    },
    async save(buffers) {
      for (const [shard, buffer] of buffers.entries()) {
        const bytes = Buffer.alloc(buffer.length * 4);
        for (let i = 0; i < buffer.length; i++) bytes.writeFloatLE(buffer[i]!, i * 4);
        await redis.set(keys.referenceFeedback(shard), bytes);
      }
    },
  };
}
