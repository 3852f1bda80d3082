import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { DataError } from '../errors/data.js';
import { createKeccakStream, toBytes32 } from './createKeccakStream.js';
import type { KeccakStream } from './createKeccakStream.js';

/** Parameters of {@link assignWork}. */
export type AssignWorkParameters = {
  /** The run's seed: a uint256 as a bigint, or 32 bytes as `0x` hex. */
  runSeed: bigint | `0x${string}`;
  /** The window being trained. */
  window: number;
  /** The miner's uid. */
  uid: number;
  /** Hash of the window's first block (`blockhash(startBlock(window))`), `0x` and 64 hex digits. */
  blockHash: `0x${string}`;
  /** Pages in the training split (`corpus.trainPageCount`). */
  trainPageCount: number;
  /** Pages each miner trains on per window. */
  pagesPerWindow: number;
  /** Shards the model is split into; 1 when updates cover the whole model. @default 1 */
  shards?: number | undefined;
};

/** A miner's work for one window. */
export type Assignment = {
  /** Training page indices, distinct, in the order drawn (train in this order). */
  pages: number[];
  /** The model shard whose update the miner sends, in `[0, shards)`. */
  shard: number;
  /** `keccak256(abi.encode(runSeed, window, uid, blockHash))`, the stream's seed. */
  seed: `0x${string}`;
};

/**
 * Works out a miner's pages and shard for a window; anyone can recompute it, and no one
 * can know it before the window's first block exists.
 *
 * The seed is `keccak256(abi.encode(uint256 runSeed, uint256 window, uint256 uid, bytes32
 * blockHash))`. From it, a counter-mode keccak stream (`createKeccakStream`) draws first the
 * shard (`below(shards)`), then `pagesPerWindow` distinct pages from `[0, trainPageCount)`
 * by a partial Fisher–Yates shuffle: draw `i` swaps position `i` with `i + below(N - i)`.
 * Only training pages exist in that range, so held-out pages are never assigned.
 *
 * @returns The pages, the shard and the seed.
 * @throws DataError `invalid-parameter` for any malformed input or `pagesPerWindow > trainPageCount`.
 * @example
 * const { pages, shard } = assignWork({ runSeed, window: 12, uid: 3, blockHash, trainPageCount: corpus.trainPageCount, pagesPerWindow: 8, shards: 4 });
 */
export function assignWork(parameters: AssignWorkParameters): Assignment {
  const { window, uid, trainPageCount, pagesPerWindow } = parameters;
  const shards = parameters.shards ?? 1;
  checkInteger('window', window, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('uid', uid, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('trainPageCount', trainPageCount, 1, 2 ** 32);
  checkInteger('pagesPerWindow', pagesPerWindow, 1, trainPageCount);
  checkInteger('shards', shards, 1, 2 ** 32);
  const encoded = new Uint8Array(128);
  encoded.set(uint256(parameters.runSeed, 'runSeed'), 0);
  encoded.set(uint256(BigInt(window), 'window'), 32);
  encoded.set(uint256(BigInt(uid), 'uid'), 64);
  encoded.set(toBytes32(parameters.blockHash, 'blockHash'), 96);
  const seed = keccak_256(encoded);
  const stream = createKeccakStream({ seed });
  const shard = stream.below(shards);
  const pages = drawDistinct(stream, trainPageCount, pagesPerWindow);
  return { pages, shard, seed: `0x${bytesToHex(seed)}` };
}

/**
 * `count` distinct values of `[0, n)` by a partial Fisher–Yates shuffle over a virtual
 * identity array (only displaced slots are stored), skipping values in `exclude`.
 * @internal
 */
export function drawDistinct(
  stream: KeccakStream,
  n: number,
  count: number,
  exclude: ReadonlySet<number> = new Set(),
): number[] {
  const displaced = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; out.length < count && i < n; i++) {
    const j = i + stream.below(n - i);
    const picked = displaced.get(j) ?? j;
    displaced.set(j, displaced.get(i) ?? i);
    if (!exclude.has(picked)) out.push(picked);
  }
  return out;
}

function uint256(value: bigint | string, name: string): Uint8Array {
  if (typeof value === 'string') return toBytes32(value, name);
  if (typeof value !== 'bigint' || value < 0n || value >= 1n << 256n) {
    throw new DataError('invalid-parameter', `${name} must be a uint256.`, {
      details: `${name}: ${String(value)}`,
    });
  }
  const bytes = new Uint8Array(32);
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/** @internal */
export function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new DataError('invalid-parameter', `${name} must be an integer from ${min} to ${max}.`, {
      details: `${name}: ${String(value)}`,
    });
  }
}
