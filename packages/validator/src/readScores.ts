import type { Redis } from 'ioredis';
import type { ValidatorKeys } from './validatorKeys.js';

/**
 * Reads every uid's moving average.
 *
 * @returns uid → average.
 * @example
 * const averages = await readScores({ redis, keys });
 */
export async function readScores(parameters: {
  redis: Redis;
  keys: ValidatorKeys;
}): Promise<Map<number, number>> {
  const raw = await parameters.redis.hgetall(parameters.keys.scores);
  return new Map(Object.entries(raw).map(([uid, value]) => [Number(uid), Number(value)]));
}
