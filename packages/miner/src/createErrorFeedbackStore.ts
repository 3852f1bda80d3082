import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestUpdate, shardRange, silentLogger, writeFileAtomic } from '@tessera/core';
import type { Logger } from '@tessera/core';
import { MinerError } from './errors/miner.js';

/** Parameters of {@link createErrorFeedbackStore}. */
export type CreateErrorFeedbackStoreParameters = {
  /** The miner's state folder; one file per shard goes in it. */
  dir: string;
  /** The run's seed: a buffer from another run is never loaded. */
  runSeed: string;
  /** Length of the model's flat parameter vector. */
  parameterCount: number;
  /** Shards the vector is cut into. */
  shards: number;
  /** @default silentLogger */
  logger?: Logger | undefined;
};

/** One shard's error-feedback buffer and the window that last changed it. */
export type ErrorFeedbackEntry = {
  /** A copy; changing it changes nothing stored. */
  buffer: Float32Array;
  /** The window whose commit last changed it; undefined for a fresh (all-zero) buffer. */
  window: number | undefined;
};

/**
 * An update the miner committed whose fate is not settled yet: the store keeps the shard's
 * buffer as it was before sending until the window's aggregate says whether the update is in
 * the model (see {@link ErrorFeedbackStore.settle}).
 */
export type PendingSend = {
  /** The committed window. */
  window: number;
  /** The shard the update covered. */
  shard: number;
  /** The uid that committed it. */
  uid: number;
};

/** The miner's error-feedback buffers, one per shard, kept on disk; see {@link createErrorFeedbackStore}. */
export type ErrorFeedbackStore = {
  /** The buffer of `shard`: from memory, else from its file, else zeros. */
  load(parameters: { shard: number }): Promise<ErrorFeedbackEntry>;
  /**
   * Replaces the buffer of `shard` with `buffer`, what is left once the update of `window` is
   * sent, in memory and atomically on disk. With `sent`, the same write keeps
   * `sent.beforeSend` (the buffer plus the update's pseudo-gradient, before what was sent was
   * taken out) as the shard's pending send until {@link ErrorFeedbackStore.settle}; without
   * it, any pending send of the shard is dropped (the post-send buffer stands).
   */
  save(parameters: {
    shard: number;
    window: number;
    buffer: Float32Array;
    sent?: { uid: number; beforeSend: Float32Array } | undefined;
  }): Promise<void>;
  /** The pending sends of every shard, by window ascending. Reads each shard's file once. */
  pending(): Promise<PendingSend[]>;
  /**
   * Settles the pending send of `window` on `shard`, atomically: `restore` puts the pre-send
   * buffer back (the update did not enter the aggregate, so what it sent is owed again), else
   * the post-send buffer stands. Either way the pending send is gone.
   *
   * @returns `'restored'`, `'kept'`, or `'none'` when no send of `window` is pending there.
   */
  settle(parameters: {
    shard: number;
    window: number;
    restore: boolean;
  }): Promise<'restored' | 'kept' | 'none'>;
};

type Pending = { window: number; uid: number; buffer: Float32Array };
type Stored = { buffer: Float32Array; window: number | undefined; pending: Pending | undefined };

const magic = new TextEncoder().encode('TSRAEFBK');
/** Version 1 files (values only) are still read; version 2 is written. */
const version = 2;
/** Bytes before the checksummed part in both versions. */
const fixedBytes = 96;
const headerBytesOf = (fileVersion: number) => (fileVersion === 1 ? fixedBytes : fixedBytes + 16);
const hasPending = 1;

/**
 * Keeps a miner's error-feedback buffers across windows and restarts. Shard `s` lives in
 * `<dir>/error-feedback-<s>.bin`; only the shard a window used is rewritten, atomically
 * (temporary file, flush, rename), so a crash leaves the previous buffer whole. A shard's
 * pending send (its buffer before sending, kept until the window's aggregate is known) is in
 * the same file, so the buffer and its pending send always change together.
 *
 * File layout, integers little-endian: magic `TSRAEFBK`, version (u32, 2), parameter count,
 * shards, shard, window, shard length (u32 each), the run seed (32 bytes), keccak256 of
 * everything after these 96 bytes (32 bytes), flags (u32: 1 = a send is pending), the
 * pending window and uid, a zero (u32 each), then the float32 values, then, when a send is
 * pending, the float32 values before that send. Version 1 files (no flags, no pending part)
 * are read too. A file that is unreadable, from another run or another model, or fails its
 * checksum is logged and replaced by zeros: a lost buffer only drops a little residual, it
 * never stops the miner.
 *
 * @example
 * const feedback = createErrorFeedbackStore({ dir: stateDir, runSeed, parameterCount, shards: 1, logger });
 * const { buffer } = await feedback.load({ shard: 0 });
 * const beforeSend = buffer.map((value, i) => value + delta[i]);
 * const compressed = compressUpdate({ delta, errorFeedback: buffer, chunkSize, topK, bits });
 * await feedback.save({ shard: 0, window, buffer, sent: { uid, beforeSend } });
 * // once the aggregate of `window` is known:
 * await feedback.settle({ shard: 0, window, restore: !aggregate.uids.includes(uid) });
 */
export function createErrorFeedbackStore(parameters: CreateErrorFeedbackStoreParameters): ErrorFeedbackStore {
  const { dir, parameterCount, shards } = parameters;
  const logger = parameters.logger ?? silentLogger;
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new MinerError('invalid-parameter', 'The error-feedback store needs a state folder.');
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(parameters.runSeed)) {
    throw new MinerError('invalid-parameter', 'runSeed must be 32 bytes of 0x hex.');
  }
  const seedBytes = hexBytes(parameters.runSeed);
  const cache = new Map<number, Stored>();
  const pathOf = (shard: number) => join(dir, `error-feedback-${shard}.bin`);
  const lengthOf = (shard: number) => shardRange({ parameterCount, shards, shard }).length;

  const read = async (shard: number): Promise<Stored> => {
    const length = lengthOf(shard);
    const fresh = { buffer: new Float32Array(length), window: undefined, pending: undefined };
    let bytes: Uint8Array;
    try {
      bytes = await readFile(pathOf(shard));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.warn('error-feedback buffer unreadable, starting from zeros', { shard, error });
      }
      return fresh;
    }
    const parsed = parse(bytes, { parameterCount, shards, shard, length, seedBytes });
    if (typeof parsed === 'string') {
      logger.warn('error-feedback buffer discarded, starting from zeros', {
        shard,
        path: pathOf(shard),
        problem: parsed,
      });
      return fresh;
    }
    return parsed;
  };
  const stored = async (shard: number): Promise<Stored> => {
    let entry = cache.get(shard);
    if (entry === undefined) {
      entry = await read(shard);
      cache.set(shard, entry);
    }
    return entry;
  };
  const write = async (shard: number, entry: Stored & { window: number }): Promise<void> => {
    const length = lengthOf(shard);
    const headerBytes = headerBytesOf(version);
    const bytes = new Uint8Array(headerBytes + 4 * length * (entry.pending === undefined ? 1 : 2));
    const view = new DataView(bytes.buffer);
    bytes.set(magic, 0);
    view.setUint32(8, version, true);
    view.setUint32(12, parameterCount, true);
    view.setUint32(16, shards, true);
    view.setUint32(20, shard, true);
    view.setUint32(24, entry.window, true);
    view.setUint32(28, length, true);
    bytes.set(seedBytes, 32);
    view.setUint32(96, entry.pending === undefined ? 0 : hasPending, true);
    view.setUint32(100, entry.pending?.window ?? 0, true);
    view.setUint32(104, entry.pending?.uid ?? 0, true);
    for (let i = 0; i < length; i++) view.setFloat32(headerBytes + 4 * i, entry.buffer[i]!, true);
    const before = entry.pending?.buffer;
    if (before !== undefined) {
      for (let i = 0; i < length; i++) view.setFloat32(headerBytes + 4 * (length + i), before[i]!, true);
    }
    bytes.set(hexBytes(digestUpdate(bytes.subarray(fixedBytes))), 64);
    await writeFileAtomic({ path: pathOf(shard), bytes, mode: 0o600 });
    cache.set(shard, entry);
  };
  const checkBuffer = (name: string, shard: number, buffer: Float32Array) => {
    const length = lengthOf(shard);
    if (!(buffer instanceof Float32Array) || buffer.length !== length) {
      throw new MinerError('invalid-parameter', `The ${name} has the wrong length for its shard.`, {
        details: `shard ${shard}: ${buffer?.length} values, expected ${length}`,
      });
    }
  };
  const checkUint32 = (name: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
      throw new MinerError('invalid-parameter', `${name} must be a uint32.`, { details: String(value) });
    }
  };

  return {
    async load({ shard }) {
      const entry = await stored(shard);
      return { buffer: Float32Array.from(entry.buffer), window: entry.window };
    },
    async save({ shard, window, buffer, sent }) {
      checkBuffer('error-feedback buffer', shard, buffer);
      checkUint32('window', window);
      if (sent !== undefined) {
        checkBuffer('pre-send buffer', shard, sent.beforeSend);
        checkUint32('uid', sent.uid);
      }
      const previous = cache.get(shard)?.pending;
      if (previous !== undefined) {
        // Settling comes before the next window's training, so this only happens when a
        // window was never settled; keeping the post-send buffer is the safe side.
        logger.warn('unsettled error-feedback send dropped', { shard, window: previous.window });
      }
      await write(shard, {
        buffer: Float32Array.from(buffer),
        window,
        pending:
          sent === undefined
            ? undefined
            : { window, uid: sent.uid, buffer: Float32Array.from(sent.beforeSend) },
      });
    },
    async pending() {
      const found: PendingSend[] = [];
      for (let shard = 0; shard < shards; shard++) {
        const { pending } = await stored(shard);
        if (pending !== undefined) found.push({ window: pending.window, shard, uid: pending.uid });
      }
      return found.sort((a, b) => a.window - b.window || a.shard - b.shard);
    },
    async settle({ shard, window, restore }) {
      const entry = await stored(shard);
      const { pending } = entry;
      if (pending === undefined || pending.window !== window) return 'none';
      await write(shard, {
        buffer: restore ? pending.buffer : entry.buffer,
        window,
        pending: undefined,
      });
      return restore ? 'restored' : 'kept';
    },
  };
}

/** The file's content, or why it cannot be used. */
function parse(
  bytes: Uint8Array,
  expected: { parameterCount: number; shards: number; shard: number; length: number; seedBytes: Uint8Array },
): Stored | string {
  if (bytes.length < fixedBytes || !magic.every((byte, i) => bytes[i] === byte))
    return 'not an error-feedback file';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fileVersion = view.getUint32(8, true);
  if (fileVersion !== 1 && fileVersion !== 2) return `version ${fileVersion}`;
  const headerBytes = headerBytesOf(fileVersion);
  const flags = fileVersion === 1 || bytes.length < headerBytes ? 0 : view.getUint32(96, true);
  if (flags !== 0 && flags !== hasPending) return `flags ${flags}`;
  const parts = flags === hasPending ? 2 : 1;
  if (bytes.length !== headerBytes + 4 * expected.length * parts)
    return `${bytes.length} bytes, expected ${headerBytes + 4 * expected.length * parts}`;
  const fields = [
    view.getUint32(12, true),
    view.getUint32(16, true),
    view.getUint32(20, true),
    view.getUint32(28, true),
  ];
  const wanted = [expected.parameterCount, expected.shards, expected.shard, expected.length];
  if (fields.some((value, i) => value !== wanted[i]))
    return `shape ${fields.join('/')}, expected ${wanted.join('/')}`;
  if (!expected.seedBytes.every((byte, i) => bytes[32 + i] === byte)) return 'written for another run';
  const sum = hexBytes(digestUpdate(bytes.subarray(fixedBytes)));
  if (!sum.every((byte, i) => bytes[64 + i] === byte)) return 'checksum mismatch';
  for (let i = headerBytes; i < bytes.length; i += 4) {
    if (!Number.isFinite(view.getFloat32(i, true))) return 'holds a NaN or infinite value';
  }
  const values = (part: number) => {
    const out = new Float32Array(expected.length);
    const start = headerBytes + 4 * expected.length * part;
    for (let i = 0; i < expected.length; i++) out[i] = view.getFloat32(start + 4 * i, true);
    return out;
  };
  return {
    buffer: values(0),
    window: view.getUint32(24, true),
    pending:
      parts === 2
        ? { window: view.getUint32(100, true), uid: view.getUint32(104, true), buffer: values(1) }
        : undefined,
  };
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}
