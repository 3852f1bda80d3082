import type { IndexCursor } from './records.js';

/**
 * The cursor hash as Redis returns it (HGETALL), parsed.
 *
 * @returns The cursor, or undefined when nothing was indexed yet.
 * @example
 * const cursor = parseCursor(await redis.hgetall(keys.cursor));
 */
export function parseCursor(stored: Record<string, string>): IndexCursor | undefined {
  if (stored.block === undefined) return undefined;
  return { block: Number(stored.block), hash: stored.hash ?? '', updatedAt: Number(stored.updatedAt ?? 0) };
}
