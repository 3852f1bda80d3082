import { Redis } from 'ioredis';
import type { Redis as RedisClient } from 'ioredis';

/** A Redis connection and whether the code that made it must close it. */
export type OwnedConnection = {
  redis: RedisClient;
  /** Closes the connection when this code opened it; leaves a caller's connection alone. */
  release(): Promise<void>;
};

/**
 * Opens a connection from a `redis://` URL, or wraps one the caller already holds. The
 * options are the ones BullMQ's workers require (`maxRetriesPerRequest: null`: commands
 * wait out a Redis restart instead of failing).
 *
 * @example
 * const { redis, release } = createRedisConnection({ connection: 'redis://127.0.0.1:6379' });
 * await release();
 */
export function createRedisConnection(parameters: { connection: string | RedisClient }): OwnedConnection {
  const { connection } = parameters;
  if (typeof connection !== 'string') return { redis: connection, release: async () => undefined };
  const redis = new Redis(connection, { maxRetriesPerRequest: null, lazyConnect: false });
  // Errors surface on the commands that hit them; an unhandled 'error' event would crash the process.
  redis.on('error', () => undefined);
  return {
    redis,
    release: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
