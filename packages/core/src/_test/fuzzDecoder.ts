import { compressUpdate } from '../codec/compressUpdate.js';
import { decodeUpdate } from '../codec/decodeUpdate.js';
import type { ExpectedUpdate } from '../codec/decodeUpdate.js';
import { encodeUpdate } from '../codec/encodeUpdate.js';
import { shardRange } from '../codec/shardRange.js';
import { updateHeaderBytes, updateLayout } from '../codec/wireFormat.js';
import type { QuantBits } from '../codec/wireFormat.js';
import { UpdateDecodeError } from '../errors/codec.js';
import { createRandom } from '../common/createRandom.js';
import type { Random } from '../common/createRandom.js';

/** Parameters of {@link fuzzDecoder}. */
export type FuzzDecoderParameters = {
  /** Inputs to try. */
  iterations: number;
  /** Seed of the input generator; the same seed replays the same inputs. */
  seed: number;
  /** Called every `progressEvery` inputs with the count so far. */
  onProgress?: ((done: number) => void) | undefined;
  /** @default 10_000 */
  progressEvery?: number | undefined;
};

/** An input that broke the decoder's contract. */
export type FuzzFailure = {
  iteration: number;
  mutation: string;
  /** Hex of the first 96 bytes of the input. */
  head: string;
  problem: string;
};

/** What {@link fuzzDecoder} saw. */
export type FuzzDecoderResult = {
  iterations: number;
  /** Inputs the decoder accepted (their output was checked for the decoder's promises). */
  accepted: number;
  /** Rejections per reason code. */
  rejected: Record<string, number>;
  /** Inputs per mutation kind. */
  mutations: Record<string, number>;
  /** Anything other than an UpdateDecodeError escaping, or an accepted output breaking a promise. */
  failures: FuzzFailure[];
  /** Largest input tried, in bytes. */
  largestInput: number;
};

type Seed = { bytes: Uint8Array; expected: ExpectedUpdate };

const mutationKinds = [
  'valid',
  'random-bytes',
  'random-after-magic',
  'bit-flips',
  'truncate',
  'append',
  'header-field',
  'scale-edit',
  'random-payload',
  'resized-field',
  'splice',
] as const;

/**
 * Feeds `iterations` random and mutated inputs to `decodeUpdate` (bit flips, truncations,
 * appended bytes, header and scale edits, consistent headers over random payloads, random
 * bytes) and checks that nothing but an {@link UpdateDecodeError} escapes and that every
 * accepted output keeps the decoder's promises (indices ascending inside the shard, values
 * finite, header as expected).
 *
 * @example
 * const result = fuzzDecoder({ iterations: 100_000, seed: 1 });
 * if (result.failures.length > 0) throw new Error(JSON.stringify(result.failures[0]));
 */
export function fuzzDecoder(parameters: FuzzDecoderParameters): FuzzDecoderResult {
  const random = createRandom({ seed: parameters.seed });
  const seeds = makeSeeds(random);
  const result: FuzzDecoderResult = {
    iterations: parameters.iterations,
    accepted: 0,
    rejected: {},
    mutations: {},
    failures: [],
    largestInput: 0,
  };
  const every = parameters.progressEvery ?? 10_000;
  for (let iteration = 0; iteration < parameters.iterations; iteration++) {
    const mutation = random.pick(mutationKinds);
    const seed = random.pick(seeds);
    const bytes = mutate(random, mutation, seed.bytes);
    const expected = random.chance(0.5)
      ? seed.expected
      : random.chance(0.5)
        ? {}
        : mangleExpected(random, seed.expected);
    result.mutations[mutation] = (result.mutations[mutation] ?? 0) + 1;
    result.largestInput = Math.max(result.largestInput, bytes.length);
    const fail = (problem: string) =>
      result.failures.push({
        iteration,
        mutation,
        head: Buffer.from(bytes.subarray(0, 96)).toString('hex'),
        problem,
      });
    try {
      const decoded = decodeUpdate({ bytes, expected });
      result.accepted++;
      const problem = checkDecoded(decoded, expected, bytes.length);
      if (problem !== undefined) fail(problem);
    } catch (error) {
      if (error instanceof UpdateDecodeError)
        result.rejected[error.reason] = (result.rejected[error.reason] ?? 0) + 1;
      else fail(`escaped: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    if (parameters.onProgress && (iteration + 1) % every === 0) parameters.onProgress(iteration + 1);
  }
  return result;
}

function makeSeeds(random: Random): Seed[] {
  const seeds: Seed[] = [];
  const shapes: { parameterCount: number; shards: number; chunkSize: number; topK: number }[] = [
    { parameterCount: 1, shards: 1, chunkSize: 1, topK: 1 },
    { parameterCount: 10, shards: 2, chunkSize: 4, topK: 2 },
    { parameterCount: 100, shards: 3, chunkSize: 16, topK: 3 },
    { parameterCount: 1000, shards: 1, chunkSize: 64, topK: 64 },
    { parameterCount: 2000, shards: 4, chunkSize: 128, topK: 4 },
    { parameterCount: 5000, shards: 2, chunkSize: 256, topK: 8 },
    { parameterCount: 4096, shards: 1, chunkSize: 4096, topK: 128 },
  ];
  for (const shape of shapes) {
    for (const bits of [2, 8, 32] as const) {
      const shard = random.int(shape.shards);
      const range = shardRange({ parameterCount: shape.parameterCount, shards: shape.shards, shard });
      const delta = Float32Array.from(
        { length: range.length },
        () => random.normal() * 10 ** (random.int(6) - 3),
      );
      const compressed = compressUpdate({
        delta,
        errorFeedback: new Float32Array(range.length),
        chunkSize: shape.chunkSize,
        topK: shape.topK,
        bits,
      });
      const window = random.int(1000);
      const bytes = encodeUpdate({
        ...compressed,
        window,
        parameterCount: shape.parameterCount,
        shards: shape.shards,
        shard,
      });
      seeds.push({
        bytes,
        expected: { ...shape, shard, window, bits, maxBytes: bytes.length + random.int(64) },
      });
    }
  }
  return seeds;
}

function mutate(random: Random, kind: (typeof mutationKinds)[number], original: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(original);
  const view = new DataView(bytes.buffer);
  switch (kind) {
    case 'valid':
      return bytes;
    case 'random-bytes':
      return random.bytes(random.int(128));
    case 'random-after-magic': {
      const out = random.bytes(random.int(200));
      out.set(original.subarray(0, Math.min(out.length, random.int(6))));
      return out;
    }
    case 'bit-flips': {
      const flips = 1 + random.int(8);
      for (let i = 0; i < flips; i++) {
        const at = random.chance(0.5)
          ? random.int(Math.min(bytes.length, updateHeaderBytes))
          : random.int(bytes.length);
        bytes[at] = bytes[at]! ^ (1 << random.int(8));
      }
      return bytes;
    }
    case 'truncate':
      return bytes.subarray(0, random.int(bytes.length));
    case 'append': {
      const out = new Uint8Array(bytes.length + 1 + random.int(16));
      out.set(bytes);
      if (random.chance(0.5)) out.set(random.bytes(out.length - bytes.length), bytes.length);
      return out;
    }
    case 'header-field': {
      const offset = 8 + 4 * random.int(8);
      const current = view.getUint32(offset, true);
      const choices = [
        0,
        1,
        2,
        0xffffffff,
        0x7fffffff,
        0x80000000,
        1 << 24,
        (1 << 24) + 1,
        current + 1,
        current - 1,
        random.int(2 ** 32),
      ];
      view.setUint32(offset, random.pick(choices) >>> 0, true);
      if (random.chance(0.2)) view.setUint8(5, random.pick([0, 1, 2, 3, 4, 8, 16, 32, 64, 255]));
      if (random.chance(0.1)) view.setUint16(6, random.int(65536), true);
      return bytes;
    }
    case 'scale-edit': {
      const slots = Math.floor((bytes.length - updateHeaderBytes) / 4);
      if (slots < 1) return bytes;
      const at = updateHeaderBytes + 4 * random.int(Math.min(slots, 8));
      view.setFloat32(at, random.pick([NaN, Infinity, -Infinity, -0, -1, 3.4e38, 1e-45, 0, 1e30]), true);
      return bytes;
    }
    case 'random-payload':
    case 'resized-field': {
      // A consistent header (maybe with an edited size field) over random payload bytes,
      // so the decoder's inner loops see hostile content.
      if (kind === 'resized-field') {
        const field = random.pick([32, 36]);
        const chunkSize = view.getUint32(32, true);
        view.setUint32(field, 1 + random.int(field === 32 ? 512 : chunkSize), true);
        if (view.getUint32(36, true) > view.getUint32(32, true))
          view.setUint32(36, view.getUint32(32, true), true);
      }
      const layout = updateLayout({
        shardLength: view.getUint32(28, true),
        chunkSize: view.getUint32(32, true),
        topK: view.getUint32(36, true),
        bits: view.getUint8(5) as QuantBits,
      });
      if (layout.totalBytes > 1 << 20) return bytes;
      const out = new Uint8Array(layout.totalBytes);
      out.set(bytes.subarray(0, updateHeaderBytes));
      out.set(random.bytes(out.length - updateHeaderBytes), updateHeaderBytes);
      if (random.chance(0.7))
        out.set(
          original.subarray(updateHeaderBytes, Math.min(out.length, layout.indexOffset)),
          updateHeaderBytes,
        );
      return out;
    }
    case 'splice': {
      const at = random.int(bytes.length + 1);
      const cut = random.int(8);
      const insert = random.bytes(random.int(8));
      const out = new Uint8Array(bytes.length - Math.min(cut, bytes.length - at) + insert.length);
      out.set(bytes.subarray(0, at));
      out.set(insert, at);
      out.set(bytes.subarray(Math.min(bytes.length, at + cut)), at + insert.length);
      return out;
    }
  }
}

function mangleExpected(random: Random, expected: ExpectedUpdate): ExpectedUpdate {
  const copy: ExpectedUpdate = { ...expected };
  switch (random.int(5)) {
    case 0:
      copy.window = (expected.window ?? 0) + 1;
      break;
    case 1:
      copy.shard = (expected.shard ?? 0) + 1;
      break;
    case 2:
      copy.maxBytes = random.int(64);
      break;
    case 3:
      copy.bits = random.pick([2, 8, 32] as const);
      break;
    default:
      copy.topK = 1 + random.int(8);
  }
  return copy;
}

function checkDecoded(
  decoded: ReturnType<typeof decodeUpdate>,
  expected: ExpectedUpdate,
  byteLength: number,
): string | undefined {
  const { header, indices, values } = decoded;
  if (indices.length !== values.length) return 'indices and values differ in length';
  if (expected.maxBytes !== undefined && byteLength > expected.maxBytes) return 'accepted past maxBytes';
  for (const field of ['window', 'parameterCount', 'shards', 'shard', 'chunkSize', 'topK', 'bits'] as const) {
    if (expected[field] !== undefined && header[field] !== expected[field]) return `accepted wrong ${field}`;
  }
  const end = header.shardOffset + header.shardLength;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i]!;
    if (index < header.shardOffset || index >= end) return `index ${index} outside the shard`;
    if (i > 0 && index <= indices[i - 1]!) return `indices not strictly ascending at ${i}`;
    if (!Number.isFinite(values[i]!)) return `value ${i} not finite`;
  }
  return undefined;
}
