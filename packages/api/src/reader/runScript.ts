import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const shas = new Map<string, string>();

/**
 * Runs a Lua script by its SHA1 (EVALSHA), loading it with EVAL the first time Redis does
 * not know it, so the script's text crosses the network once per Redis.
 *
 * @returns What the script returned.
 * @example
 * const [a, b] = (await runScript({ redis, script, keys: [k1, k2], args: ['1'] })) as [string, string];
 */
export async function runScript(parameters: {
  redis: Redis;
  script: string;
  keys: readonly string[];
  args: readonly string[];
}): Promise<unknown> {
  const { redis, script, keys, args } = parameters;
  let sha = shas.get(script);
  if (sha === undefined) shas.set(script, (sha = createHash('sha1').update(script).digest('hex')));
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys.length, ...keys, ...args);
  }
}
