import type { Redis } from 'ioredis';
import { IndexerError } from '../errors/indexer.js';
import type { IndexKeys } from './indexKeys.js';
import { indexKeys } from './indexKeys.js';
import { parseCursor } from './parseCursor.js';
import type { IndexCursor } from './records.js';

/**
 * Reads and buffered writes on one subnet's index. Reads go through a cache that already
 * holds this writer's own pending writes; nothing reaches Redis until {@link IndexWriter.commit},
 * which writes every pending change and the new cursor in one MULTI/EXEC, so a block range is
 * either wholly in the index or not at all.
 */
export type IndexWriter = {
  readonly keys: IndexKeys;
  hget(key: string, field: string): Promise<string | undefined>;
  /** Several fields of one hash, in one round trip for those not cached. */
  hgetMany(key: string, fields: readonly string[]): Promise<(string | undefined)[]>;
  hset(key: string, field: string, value: string): void;
  hdel(key: string, field: string): void;
  smembers(key: string): Promise<string[]>;
  sadd(key: string, member: string): void;
  srem(key: string, member: string): void;
  zadd(key: string, score: number, member: string): void;
  set(key: string, value: string): void;
  /** The committed cursor, or undefined before the first commit. */
  readCursor(): Promise<IndexCursor | undefined>;
  /**
   * Writes every pending change and moves the cursor to `cursor`, atomically. Fails (and
   * drops the pending changes) when another writer moved the cursor since this one read it.
   */
  commit(cursor: { block: number; hash: string }): Promise<void>;
  /** Drops pending changes and the cache. */
  discard(): void;
};

type Pending = {
  hashes: Map<string, Map<string, string | null>>;
  setAdds: Map<string, Set<string>>;
  setRemoves: Map<string, Set<string>>;
  zadds: [key: string, score: number, member: string][];
  strings: Map<string, string>;
};

const emptyPending = (): Pending => ({
  hashes: new Map(),
  setAdds: new Map(),
  setRemoves: new Map(),
  zadds: [],
  strings: new Map(),
});

/** Cached hash fields kept across commits before the cache is dropped. */
const maxCachedFields = 200_000;

/**
 * Creates the writer the indexer applies events through. Give it a connection of its own
 * (`redis.duplicate()`): commit uses WATCH, which belongs to the connection.
 *
 * @param parameters.redis An ioredis connection.
 * @param parameters.subnet The Subnet contract's address.
 * @example
 * const writer = createIndexWriter({ redis, subnet: deployment.subnet });
 * writer.hset(writer.keys.totals, 'events', '1');
 * await writer.commit({ block: 120, hash: block.hash });
 */
export function createIndexWriter(parameters: { redis: Redis; subnet: string }): IndexWriter {
  const { redis } = parameters;
  const keys = indexKeys({ subnet: parameters.subnet });
  let hashCache = new Map<string, Map<string, string | null>>();
  let setCache = new Map<string, Set<string>>();
  let cachedFields = 0;
  let pending = emptyPending();
  let knownCursor: number | null | undefined;

  const cachedHash = (key: string) => {
    let fields = hashCache.get(key);
    if (!fields) hashCache.set(key, (fields = new Map()));
    return fields;
  };
  const pendingHash = (key: string) => {
    let fields = pending.hashes.get(key);
    if (!fields) pending.hashes.set(key, (fields = new Map()));
    return fields;
  };
  const writeField = (key: string, field: string, value: string | null) => {
    const cached = cachedHash(key);
    if (!cached.has(field)) cachedFields++;
    cached.set(field, value);
    pendingHash(key).set(field, value);
  };
  const dropCache = () => {
    hashCache = new Map();
    setCache = new Map();
    cachedFields = 0;
  };

  const writer: IndexWriter = {
    keys,
    async hget(key, field) {
      const [value] = await writer.hgetMany(key, [field]);
      return value;
    },
    async hgetMany(key, fields) {
      const cached = cachedHash(key);
      const missing = [...new Set(fields.filter((f) => !cached.has(f)))];
      if (missing.length > 0) {
        const values = await redis.hmget(key, ...missing);
        missing.forEach((field, i) => {
          // A write may have landed while the read was in flight; it wins.
          if (!cached.has(field)) {
            cached.set(field, values[i] ?? null);
            cachedFields++;
          }
        });
      }
      return fields.map((f) => cached.get(f) ?? undefined);
    },
    hset: (key, field, value) => writeField(key, field, value),
    hdel: (key, field) => writeField(key, field, null),
    async smembers(key) {
      let members = setCache.get(key);
      if (!members) {
        const loaded = new Set(await redis.smembers(key));
        members = setCache.get(key);
        if (!members) {
          for (const m of pending.setAdds.get(key) ?? []) loaded.add(m);
          for (const m of pending.setRemoves.get(key) ?? []) loaded.delete(m);
          setCache.set(key, (members = loaded));
        }
      }
      return [...members].sort();
    },
    sadd(key, member) {
      setCache.get(key)?.add(member);
      pending.setRemoves.get(key)?.delete(member);
      let adds = pending.setAdds.get(key);
      if (!adds) pending.setAdds.set(key, (adds = new Set()));
      adds.add(member);
    },
    srem(key, member) {
      setCache.get(key)?.delete(member);
      pending.setAdds.get(key)?.delete(member);
      let removes = pending.setRemoves.get(key);
      if (!removes) pending.setRemoves.set(key, (removes = new Set()));
      removes.add(member);
    },
    zadd(key, score, member) {
      pending.zadds.push([key, score, member]);
    },
    set(key, value) {
      pending.strings.set(key, value);
    },
    async readCursor() {
      const stored = await redis.hgetall(keys.cursor);
      const cursor = parseCursor(stored);
      knownCursor = cursor?.block ?? null;
      return cursor;
    },
    async commit(cursor) {
      try {
        await redis.watch(keys.cursor);
        const current = parseCursor(await redis.hgetall(keys.cursor))?.block ?? null;
        if (knownCursor === undefined) knownCursor = current;
        if (current !== knownCursor) {
          await redis.unwatch();
          throw new IndexerError('Another indexer moved the cursor of this index.', {
            details: `expected block ${knownCursor ?? 'none'}, found ${current ?? 'none'}`,
            hint: 'Run one indexer per subnet and Redis; this one reloads and carries on from the new cursor.',
          });
        }
        const multi = redis.multi();
        for (const [key, fields] of pending.hashes) {
          const sets: string[] = [];
          const deletes: string[] = [];
          for (const [field, value] of fields) {
            if (value === null) deletes.push(field);
            else sets.push(field, value);
          }
          if (sets.length > 0) multi.hset(key, ...sets);
          if (deletes.length > 0) multi.hdel(key, ...deletes);
        }
        for (const [key, members] of pending.setAdds) if (members.size > 0) multi.sadd(key, ...members);
        for (const [key, members] of pending.setRemoves) if (members.size > 0) multi.srem(key, ...members);
        for (const [key, score, member] of pending.zadds) multi.zadd(key, score, member);
        for (const [key, value] of pending.strings) multi.set(key, value);
        multi.hset(keys.cursor, 'block', cursor.block, 'hash', cursor.hash, 'updatedAt', Date.now());
        const result = await multi.exec();
        if (result === null) {
          throw new IndexerError('Another indexer wrote this index during a commit.', {
            hint: 'Run one indexer per subnet and Redis; this one reloads and carries on from the new cursor.',
          });
        }
        const failed = result.find(([error]) => error !== null);
        if (failed) throw new IndexerError('Redis refused part of a commit.', { cause: failed[0] });
        knownCursor = cursor.block;
        pending = emptyPending();
        if (cachedFields > maxCachedFields) dropCache();
      } catch (error) {
        writer.discard();
        if (error instanceof IndexerError) throw error;
        throw new IndexerError('Could not write to Redis.', { cause: error });
      }
    },
    discard() {
      pending = emptyPending();
      knownCursor = undefined;
      dropCache();
    },
  };
  return writer;
}
