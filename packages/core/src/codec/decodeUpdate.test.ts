import { NonRetryableError } from '@tessera/errors';
import { CodecParameterError, UpdateDecodeError } from '../errors/codec.js';
import type { UpdateDecodeReason } from '../errors/codec.js';
import { fuzzDecoder } from '../_test/fuzzDecoder.js';
import { makeUpdate } from '../_test/makeUpdate.js';
import { decodeUpdate } from './decodeUpdate.js';
import type { ExpectedUpdate } from './decodeUpdate.js';
import { updateLayout } from './wireFormat.js';

/** A copy of `bytes` changed by `edit`. */
function patch(bytes: Uint8Array, edit: (view: DataView, copy: Uint8Array) => void): Uint8Array {
  const copy = Uint8Array.from(bytes);
  edit(new DataView(copy.buffer), copy);
  return copy;
}

function reasonOf(bytes: Uint8Array, expected?: ExpectedUpdate): UpdateDecodeReason | 'accepted' {
  try {
    decodeUpdate({ bytes, expected });
    return 'accepted';
  } catch (error) {
    if (error instanceof UpdateDecodeError) return error.reason;
    throw error;
  }
}

const layoutOf = (view: DataView) =>
  updateLayout({
    shardLength: view.getUint32(28, true),
    chunkSize: view.getUint32(32, true),
    topK: view.getUint32(36, true),
    bits: view.getUint8(5) as 2 | 8 | 32,
  });

describe('decodeUpdate', () => {
  // Shard 1 of 2 (500 entries), chunks of 64 keeping 8: Elias–Fano indices (L = 3, 16 upper bits).
  const eight = makeUpdate({ bits: 8 });
  const two = makeUpdate({ bits: 2 });
  const raw = makeUpdate({ bits: 32 });
  // Chunks of 50 keeping 2: fixed-width indices, 6 bits each.
  const fixed = makeUpdate({ bits: 8, chunkSize: 50, topK: 2 });
  // One chunk of 10 keeping 3: 11 index bits and 6 value bits, so both sections end in padding.
  const padded = makeUpdate({ bits: 2, parameterCount: 10, shards: 1, shard: 0, chunkSize: 10, topK: 3 });
  const expectedOf = (update: typeof eight): ExpectedUpdate => ({
    window: update.window,
    parameterCount: update.parameterCount,
    shards: update.shards,
    shard: update.shard,
    chunkSize: update.compressed.chunkSize,
    topK: update.compressed.topK,
    bits: update.compressed.bits,
    maxBytes: update.bytes.length,
  });

  it('accepts a valid update and its exact expectations', () => {
    for (const update of [eight, two, raw, fixed, padded]) {
      expect(reasonOf(update.bytes, expectedOf(update))).toBe('accepted');
    }
  });

  it('rejects with UpdateDecodeError, a NonRetryableError', () => {
    const error = (() => {
      try {
        decodeUpdate({ bytes: new Uint8Array(3) });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UpdateDecodeError);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error).toMatchObject({ reason: 'bad-magic', retryable: false });
  });

  const cases: [string, () => Uint8Array, UpdateDecodeReason, ExpectedUpdate?][] = [
    ['more bytes than the cap', () => eight.bytes, 'oversize', { maxBytes: eight.bytes.length - 1 }],
    ['no bytes', () => new Uint8Array(), 'truncated'],
    ['half the magic', () => eight.bytes.subarray(0, 2), 'truncated'],
    ['another magic', () => patch(eight.bytes, (_, b) => (b[3] = 0x56)), 'bad-magic'],
    ['a JSON body', () => new TextEncoder().encode('{"update":[]}'), 'bad-magic'],
    ['magic only', () => eight.bytes.subarray(0, 4), 'truncated'],
    ['version 2', () => patch(eight.bytes, (_, b) => (b[4] = 2)), 'bad-version'],
    ['version 0', () => patch(eight.bytes, (_, b) => (b[4] = 0)), 'bad-version'],
    ['a cut header', () => eight.bytes.subarray(0, 39), 'truncated'],
    ['bits 4', () => patch(eight.bytes, (v) => v.setUint8(5, 4)), 'bad-header'],
    ['reserved bits', () => patch(eight.bytes, (v) => v.setUint16(6, 1, true)), 'bad-header'],
    ['zero parameters', () => patch(eight.bytes, (v) => v.setUint32(12, 0, true)), 'bad-shape'],
    ['shard = shards', () => patch(eight.bytes, (v) => v.setUint32(20, 2, true)), 'bad-shape'],
    ['zero shards', () => patch(eight.bytes, (v) => v.setUint32(16, 0, true)), 'bad-shape'],
    [
      'more shards than parameters',
      () => patch(eight.bytes, (v) => v.setUint32(16, 1001, true)),
      'bad-shape',
    ],
    ['a shifted shard offset', () => patch(eight.bytes, (v) => v.setUint32(24, 501, true)), 'bad-shape'],
    ['a longer shard', () => patch(eight.bytes, (v) => v.setUint32(28, 501, true)), 'bad-shape'],
    ['chunk size 0', () => patch(eight.bytes, (v) => v.setUint32(32, 0, true)), 'bad-shape'],
    ['chunk size 2^24 + 1', () => patch(eight.bytes, (v) => v.setUint32(32, 2 ** 24 + 1, true)), 'bad-shape'],
    ['top-k 0', () => patch(eight.bytes, (v) => v.setUint32(36, 0, true)), 'bad-shape'],
    ['top-k above the chunk size', () => patch(eight.bytes, (v) => v.setUint32(36, 65, true)), 'bad-shape'],
    ['one byte short', () => eight.bytes.subarray(0, eight.bytes.length - 1), 'truncated'],
    [
      'a larger top-k than the bytes hold',
      () => patch(eight.bytes, (v) => v.setUint32(36, 9, true)),
      'truncated',
    ],
    ['one byte more', () => Uint8Array.of(...eight.bytes, 0), 'trailing-bytes'],
    [
      'a smaller top-k than the bytes hold',
      () => patch(eight.bytes, (v) => v.setUint32(36, 7, true)),
      'trailing-bytes',
    ],
    ['a NaN scale', () => patch(eight.bytes, (v) => v.setFloat32(40, NaN, true)), 'non-finite'],
    ['an infinite scale', () => patch(two.bytes, (v) => v.setFloat32(44, Infinity, true)), 'non-finite'],
    ['a negative scale', () => patch(eight.bytes, (v) => v.setFloat32(44, -1, true)), 'bad-scale'],
    ['a -0 scale', () => patch(eight.bytes, (v) => v.setFloat32(44, -0, true)), 'bad-scale'],
    ['2-bit small level above large', () => patch(two.bytes, (v) => v.setFloat32(44, 0, true)), 'bad-scale'],
    [
      'a scale that overflows its values',
      () => patch(eight.bytes, (v) => v.setFloat32(40, 3e38, true)),
      'non-finite',
    ],
    [
      'a NaN raw value',
      () => patch(raw.bytes, (v) => v.setFloat32(layoutOf(v).valueOffset + 8, NaN, true)),
      'non-finite',
    ],
    [
      'an infinite raw value',
      () => patch(raw.bytes, (v) => v.setFloat32(layoutOf(v).valueOffset, -Infinity, true)),
      'non-finite',
    ],
    [
      'an Elias–Fano field missing an entry',
      () =>
        patch(eight.bytes, (v, b) => {
          const upper = layoutOf(v).indexOffset + 3; // after 8 × 3 low bits
          b[upper] = b[upper]! & (b[upper]! - 1); // clear the lowest one
        }),
      'bad-index-coding',
    ],
    [
      'an Elias–Fano field with an extra entry',
      () =>
        patch(
          eight.bytes,
          (v, b) => (b[layoutOf(v).indexOffset + 4] = b[layoutOf(v).indexOffset + 4]! | 0x80),
        ),
      'bad-index-coding',
    ],
    [
      'an index past its chunk',
      () => patch(fixed.bytes, (v, b) => (b[layoutOf(v).indexOffset] = b[layoutOf(v).indexOffset]! | 0x3f)),
      'index-out-of-range',
    ],
    [
      'a repeated index',
      () =>
        patch(fixed.bytes, (v, b) => {
          const at = layoutOf(v).indexOffset; // indices 5, 5 in 6 bits each
          b[at] = 5 | (5 << 6);
          b[at + 1] = (b[at + 1]! & ~0x0f) | (5 >> 2);
        }),
      'duplicate-index',
    ],
    [
      'descending indices',
      () =>
        patch(fixed.bytes, (v, b) => {
          const at = layoutOf(v).indexOffset; // indices 6, 5
          b[at] = 6 | (5 << 6);
          b[at + 1] = (b[at + 1]! & ~0x0f) | (5 >> 2);
        }),
      'unsorted-index',
    ],
    [
      'index padding bits set',
      () =>
        patch(
          padded.bytes,
          (v, b) => (b[layoutOf(v).valueOffset - 1] = b[layoutOf(v).valueOffset - 1]! | 0x80),
        ),
      'non-canonical',
    ],
    [
      'value padding bits set',
      () => patch(padded.bytes, (_, b) => (b[b.length - 1] = b[b.length - 1]! | 0x80)),
      'non-canonical',
    ],
    ['an int8 code of -128', () => patch(eight.bytes, (_, b) => (b[b.length - 1] = 0x80)), 'non-canonical'],
    ['another window', () => eight.bytes, 'wrong-window', { window: 8 }],
    ['another shard', () => eight.bytes, 'wrong-shard', { shard: 0 }],
    ['another shard count', () => eight.bytes, 'wrong-shards', { shards: 4 }],
    ['another model size', () => eight.bytes, 'wrong-parameter-count', { parameterCount: 1001 }],
    ['another chunk size', () => eight.bytes, 'wrong-compression', { chunkSize: 128 }],
    ['another top-k', () => eight.bytes, 'wrong-compression', { topK: 16 }],
    ['other bits', () => eight.bytes, 'wrong-compression', { bits: 2 }],
  ];
  it.each(cases.map(([name, make, reason, expected]) => ({ name, make, reason, expected })))(
    'rejects $name',
    ({ make, reason, expected }) => {
      expect(reasonOf(make(), expected)).toBe(reason);
    },
  );

  it('rejects a header claiming billions of entries before allocating for them', () => {
    // 2^32 − 1 raw float32 entries would be 16 GiB; the input is 40 bytes.
    const hostile = patch(raw.bytes.subarray(0, 40), (v) => {
      v.setUint32(12, 0xffffffff, true);
      v.setUint32(16, 1, true);
      v.setUint32(20, 0, true);
      v.setUint32(24, 0, true);
      v.setUint32(28, 0xffffffff, true);
      v.setUint32(32, 1, true);
      v.setUint32(36, 1, true);
    });
    expect(layoutOf(new DataView(hostile.buffer)).totalBytes).toBeGreaterThan(2 ** 34);
    expect(reasonOf(hostile)).toBe('truncated');
    // The same header over a 1 MiB body is still far short.
    const padded = new Uint8Array(1 << 20);
    padded.set(hostile);
    expect(reasonOf(padded)).toBe('truncated');
  });

  it('reads a Buffer view at an odd offset', () => {
    const backing = Buffer.alloc(eight.bytes.length + 3);
    backing.set(eight.bytes, 3);
    const decoded = decodeUpdate({ bytes: backing.subarray(3), expected: expectedOf(eight) });
    expect([...decoded.values]).toEqual([...eight.compressed.values]);
  });

  it('throws CodecParameterError, not a rejection, for bad arguments', () => {
    expect(() => decodeUpdate({ bytes: [1, 2] as unknown as Uint8Array })).toThrow(CodecParameterError);
    expect(() => decodeUpdate({ bytes: eight.bytes, expected: { window: -1 } })).toThrow(CodecParameterError);
    expect(() => decodeUpdate({ bytes: eight.bytes, expected: { bits: 4 as never } })).toThrow(
      CodecParameterError,
    );
    expect(() => decodeUpdate({ bytes: eight.bytes, expected: { maxBytes: 1.5 } })).toThrow(
      CodecParameterError,
    );
  });

  it('fuzz: thousands of random and mutated inputs raise nothing but UpdateDecodeError', () => {
    const result = fuzzDecoder({ iterations: 3000, seed: 20261122 });
    expect(result.failures).toEqual([]);
    // The mutations reach deep into the decoder, and valid inputs still pass.
    expect(result.accepted).toBeGreaterThan(100);
    for (const reason of [
      'bad-magic',
      'truncated',
      'bad-shape',
      'bad-index-coding',
      'non-finite',
      'unsorted-index',
    ]) {
      expect(result.rejected[reason]).toBeGreaterThan(0);
    }
  });
});
