import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { digestUpdate, shardRange, silentLogger } from '@tessera/core';
import type { Logger } from '@tessera/core';
import { MinerError } from './errors/miner.js';
import { writeFileAtomic } from './writeFileAtomic.js';

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

/** The miner's error-feedback buffers, one per shard, kept on disk; see {@link createErrorFeedbackStore}. */
export type ErrorFeedbackStore = {
  /** The buffer of `shard`: from memory, else from its file, else zeros. */
  load(parameters: { shard: number }): Promise<ErrorFeedbackEntry>;
  /** Replaces the buffer of `shard`, in memory and atomically on disk. */
  save(parameters: { shard: number; window: number; buffer: Float32Array }): Promise<void>;
};

const magic = new TextEncoder().encode('TSRAEFBK');
const version = 1;
const headerBytes = 96;

/**
 * Keeps a miner's error-feedback buffers across windows and restarts. Shard `s` lives in
 * `<dir>/error-feedback-<s>.bin`; only the shard a window used is rewritten, atomically
 * (temporary file, flush, rename), so a crash leaves the previous buffer whole.
 *
 * File layout, integers little-endian: magic `TSRAEFBK`, version (u32), parameter count,
 * shards, shard, window, shard length (u32 each), the run seed (32 bytes), keccak256 of the
 * values (32 bytes), then the float32 values. A file that is unreadable, from another run or
 * another model, or fails its checksum is logged and replaced by zeros: a lost buffer only
 * drops a little residual, it never stops the miner.
 *
 * @example
 * const feedback = createErrorFeedbackStore({ dir: stateDir, runSeed, parameterCount, shards: 1, logger });
 * const { buffer } = await feedback.load({ shard: 0 });
 * const compressed = compressUpdate({ delta, errorFeedback: buffer, chunkSize, topK, bits });
 * await feedback.save({ shard: 0, window, buffer });
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
  const cache = new Map<number, { buffer: Float32Array; window: number | undefined }>();
  const pathOf = (shard: number) => join(dir, `error-feedback-${shard}.bin`);
  const lengthOf = (shard: number) => shardRange({ parameterCount, shards, shard }).length;

  const read = async (shard: number): Promise<{ buffer: Float32Array; window: number | undefined }> => {
    const length = lengthOf(shard);
    const fresh = { buffer: new Float32Array(length), window: undefined };
    let bytes: Uint8Array;
    try {
      bytes = await readFile(pathOf(shard));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.warn('error-feedback buffer unreadable, starting from zeros', { shard, error });
      }
      return fresh;
    }
    const problem = check(bytes, { parameterCount, shards, shard, length, seedBytes });
    if (problem !== undefined) {
      logger.warn('error-feedback buffer discarded, starting from zeros', {
        shard,
        path: pathOf(shard),
        problem,
      });
      return fresh;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const buffer = new Float32Array(length);
    for (let i = 0; i < length; i++) buffer[i] = view.getFloat32(headerBytes + 4 * i, true);
    return { buffer, window: view.getUint32(24, true) };
  };

  return {
    async load({ shard }) {
      let entry = cache.get(shard);
      if (entry === undefined) {
        entry = await read(shard);
        cache.set(shard, entry);
      }
      return { buffer: Float32Array.from(entry.buffer), window: entry.window };
    },
    async save({ shard, window, buffer }) {
      const length = lengthOf(shard);
      if (!(buffer instanceof Float32Array) || buffer.length !== length) {
        throw new MinerError(
          'invalid-parameter',
          'The error-feedback buffer has the wrong length for its shard.',
          {
            details: `shard ${shard}: ${buffer?.length} values, expected ${length}`,
          },
        );
      }
      if (!Number.isSafeInteger(window) || window < 0 || window > 0xffffffff) {
        throw new MinerError('invalid-parameter', 'window must be a uint32.', { details: String(window) });
      }
      const bytes = new Uint8Array(headerBytes + 4 * length);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < length; i++) view.setFloat32(headerBytes + 4 * i, buffer[i]!, true);
      bytes.set(magic, 0);
      view.setUint32(8, version, true);
      view.setUint32(12, parameterCount, true);
      view.setUint32(16, shards, true);
      view.setUint32(20, shard, true);
      view.setUint32(24, window, true);
      view.setUint32(28, length, true);
      bytes.set(seedBytes, 32);
      bytes.set(hexBytes(digestUpdate(bytes.subarray(headerBytes))), 64);
      await writeFileAtomic({ path: pathOf(shard), bytes });
      cache.set(shard, { buffer: Float32Array.from(buffer), window });
    },
  };
}

function check(
  bytes: Uint8Array,
  expected: { parameterCount: number; shards: number; shard: number; length: number; seedBytes: Uint8Array },
): string | undefined {
  if (bytes.length !== headerBytes + 4 * expected.length)
    return `${bytes.length} bytes, expected ${headerBytes + 4 * expected.length}`;
  if (!magic.every((byte, i) => bytes[i] === byte)) return 'not an error-feedback file';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(8, true) !== version) return `version ${view.getUint32(8, true)}`;
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
  const sum = hexBytes(digestUpdate(bytes.subarray(headerBytes)));
  if (!sum.every((byte, i) => bytes[64 + i] === byte)) return 'checksum mismatch';
  for (let i = headerBytes; i < bytes.length; i += 4) {
    if (!Number.isFinite(view.getFloat32(i, true))) return 'holds a NaN or infinite value';
  }
  return undefined;
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}
