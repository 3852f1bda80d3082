import { Redis } from 'ioredis';
import { startRedisServer } from '@tessera/devtools';

/** A private redis-server and a connection to it; stop() ends both. */
export type TestRedis = { url: string; redis: Redis; stop(): Promise<void> };

/** Starts a private redis-server on a free port and connects to it. */
export async function startTestRedis(): Promise<TestRedis> {
  const server = await startRedisServer();
  const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
  return {
    url: server.url,
    redis,
    async stop() {
      redis.disconnect();
      await server.stop();
    },
  };
}
