import type { Redis } from 'ioredis';

/**
 * Every key under `prefix` with its contents, in a form toEqual can compare: hashes as
 * objects, sets sorted, sorted sets as [member, score] pairs. The cursor's updatedAt is left out.
 */
export async function dumpIndex(redis: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const dump: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    const type = await redis.type(key);
    if (type === 'hash') {
      const value = await redis.hgetall(key);
      if (key.endsWith(':index:cursor')) delete value.updatedAt;
      dump[key] = value;
    } else if (type === 'set') dump[key] = (await redis.smembers(key)).sort();
    else if (type === 'zset') dump[key] = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'string') dump[key] = await redis.get(key);
    else dump[key] = `(${type})`;
  }
  return dump;
}
