import { makeUpdate } from '../_test/makeUpdate.js';
import { createRandom } from '../common/createRandom.js';
import { compressUpdate } from './compressUpdate.js';
import { decodeUpdate } from './decodeUpdate.js';
import { encodeUpdate } from './encodeUpdate.js';
import { encodedUpdateSize } from './encodedUpdateSize.js';
import { shardRange } from './shardRange.js';
import { indexCodingOf, updateLayout } from './wireFormat.js';
import type { QuantBits } from './wireFormat.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bitsOf = (values: Float32Array) => [
  ...new Uint32Array(values.buffer, values.byteOffset, values.length),
];

/** Shard 1 of 2 of an 80-parameter model: chunk 0 (32 entries, Elias–Fano indices), chunk 1 (8, implicit). */
function vectorUpdate(bits: QuantBits) {
  const delta = Float32Array.from({ length: 40 }, (_, i) => (((i * 37) % 41) - 20) / 8);
  const compressed = compressUpdate({
    delta,
    errorFeedback: new Float32Array(40),
    chunkSize: 32,
    topK: 8,
    bits,
  });
  return {
    compressed,
    bytes: encodeUpdate({ ...compressed, window: 5, parameterCount: 80, shards: 2, shard: 1 }),
  };
}

const header =
  '54535255' + // TSRU
  '01' + // version
  '%%' + // bits
  '0000' + // reserved
  '05000000' + // window 5
  '50000000' + // parameterCount 80
  '02000000' + // shards 2
  '01000000' + // shard 1
  '28000000' + // shardOffset 40
  '28000000' + // shardLength 40
  '20000000' + // chunkSize 32
  '08000000'; // topK 8

describe('encodeUpdate', () => {
  it('fixed vector, 8-bit', () => {
    const { compressed, bytes } = vectorUpdate(8);
    expect(hex(bytes)).toBe(
      header.replace('%%', '08') +
        '8542a13c' + // chunk 0 step: fround(2.5 / 127)
        '0402813c' + // chunk 1 step: fround(2 / 127)
        'e4e4' + // chunk 0 indices 0,1,10,11,20,21,30,31: low 2 bits each (Elias–Fano, L = 2)
        '3366' + // high parts 0,0,2,2,5,5,7,7 as ones at high + i
        '816c87728e79947f' + // chunk 0 codes -127, 108, -121, 114, -114, 121, -108, 127 (int8)
        '7f5f402000e0c0a1', // chunk 1 codes 127, 95, 64, 32, 0, -32, -64, -95
    );
    expect([...compressed.codes].map((c) => (c << 24) >> 24)).toEqual([
      -127, 108, -121, 114, -114, 121, -108, 127, 127, 95, 64, 32, 0, -32, -64, -95,
    ]);
  });

  it('fixed vector, 2-bit', () => {
    const { compressed, bytes } = vectorUpdate(2);
    expect(hex(bytes)).toBe(
      header.replace('%%', '02') +
        '00000c40' + // chunk 0 small level 2.1875 (mean of 2.125, 2.125, 2.25, 2.25)
        '00001c40' + // chunk 0 large level 2.4375 (mean of 2.375, 2.375, 2.5, 2.5)
        'abaaaa3e' + // chunk 1 small level 1/3 (mean of 0, 0.5, 0.5)
        '3333b33f' + // chunk 1 large level 1.4 (mean of 1, 1, 1.5, 1.5, 2)
        'e4e43366' + // indices, as in the 8-bit vector
        '3366' + // codes 3,0,3,0 | 2,1,2,1: bit 0 large, bit 1 negative, four per byte
        '15f8', // codes 1,1,1,0 | 0,2,3,3
    );
    expect([...compressed.values]).toEqual([
      -2.4375,
      2.1875,
      -2.4375,
      2.1875,
      -2.1875,
      2.4375,
      -2.1875,
      2.4375,
      Math.fround(1.4),
      Math.fround(1.4),
      Math.fround(1.4),
      Math.fround(1 / 3),
      Math.fround(1 / 3),
      -Math.fround(1 / 3),
      -Math.fround(1.4),
      -Math.fround(1.4),
    ]);
  });

  it('round trip: decode(encode(x)) gives back exactly what compress sent', () => {
    const random = createRandom({ seed: 21 });
    for (let trial = 0; trial < 200; trial++) {
      const parameterCount = 1 + random.int(trial < 170 ? 400 : 5000);
      const shards = 1 + random.int(Math.min(parameterCount, 6));
      const shard = random.int(shards);
      const { length } = shardRange({ parameterCount, shards, shard });
      const chunkSize = 1 + random.int(random.chance(0.5) ? 16 : 600);
      const topK = 1 + random.int(chunkSize);
      const bits = random.pick([2, 8, 32] as const);
      const scale = 10 ** (random.int(12) - 6);
      const delta = Float32Array.from({ length }, () => (random.chance(0.1) ? 0 : random.normal() * scale));
      const errorFeedback = Float32Array.from({ length }, () => random.normal() * scale * 0.1);
      const window = random.int(2 ** 32);
      const compressed = compressUpdate({ delta, errorFeedback, chunkSize, topK, bits });
      const bytes = encodeUpdate({ ...compressed, window, parameterCount, shards, shard });

      const layout = updateLayout({ shardLength: length, chunkSize, topK, bits });
      expect(bytes.length).toBe(layout.totalBytes);
      const decoded = decodeUpdate({
        bytes,
        expected: { maxBytes: bytes.length, window, parameterCount, shards, shard, chunkSize, topK, bits },
      });
      const { offset } = shardRange({ parameterCount, shards, shard });
      expect([...decoded.indices]).toEqual([...compressed.indices].map((i) => i + offset));
      expect(bitsOf(decoded.values)).toEqual(bitsOf(compressed.values));
      expect(decoded.header).toEqual({
        version: 1,
        window,
        parameterCount,
        shards,
        shard,
        shardOffset: offset,
        shardLength: length,
        chunkSize,
        topK,
        bits,
      });
    }
  });

  it('reaches a 100× ratio against float32 at 2-bit with 4096-entry chunks and top-128', () => {
    const layout = updateLayout({ shardLength: 1 << 20, chunkSize: 4096, topK: 128, bits: 2 });
    expect((4 << 20) / layout.totalBytes).toBeGreaterThan(100);
  });

  it('picks the smallest index coding', () => {
    expect(indexCodingOf(4096, 128)).toEqual({ kind: 'elias-fano', lowBits: 5, upperBits: 256, bits: 896 });
    expect(indexCodingOf(4096, 4096)).toEqual({ kind: 'implicit', bits: 0 });
    expect(indexCodingOf(4096, 2)).toEqual({ kind: 'fixed', width: 12, bits: 24 });
    for (let length = 1; length <= 70; length++) {
      for (let kept = 1; kept <= length; kept++) {
        const coding = indexCodingOf(length, kept);
        const fixed = kept * Math.ceil(Math.log2(length));
        expect(coding.bits).toBeLessThanOrEqual(kept === length ? 0 : fixed);
      }
    }
  });

  it('rejects an update that is inconsistent with itself or its shard', () => {
    const { compressed, window, parameterCount, shards, shard } = makeUpdate({
      bits: 8,
      shards: 3,
      shard: 1,
    });
    const base = { ...compressed, window, parameterCount, shards, shard };
    const cases: [Partial<typeof base>, string][] = [
      [{ shard: 2 }, 'length'],
      [{ window: -1 }, 'window'],
      [{ window: 2 ** 32 }, 'window'],
      [{ topK: compressed.topK + 1 }, 'indices'],
      [{ indices: compressed.indices.slice().reverse() }, 'indices'],
      [{ values: compressed.values.map((v) => v * 2) }, 'values'],
      [{ codes: compressed.codes.map(() => 0x80) }, 'values'],
      [{ scales: compressed.scales.map(() => NaN) }, 'scales'],
      [{ scales: compressed.scales.map(() => -0) }, 'scales'],
      [{ scales: new Float32Array(1) }, 'scales'],
      [{ bits: 2 }, 'scales'],
      [{ bits: 32 }, 'codes'],
    ];
    for (const [override, parameter] of cases) {
      const error = (() => {
        try {
          encodeUpdate({ ...base, ...override });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect({ override: Object.keys(override), error }).toEqual({
        override: Object.keys(override),
        error: expect.objectContaining({ name: 'CodecParameterError', parameter }),
      });
    }
  });
});

describe('encodedUpdateSize', () => {
  it('is the length encodeUpdate writes', () => {
    for (const bits of [2, 8, 32] as const) {
      const { bytes, parameterCount, shards, shard } = makeUpdate({ bits, chunkSize: 40, topK: 7 });
      expect(encodedUpdateSize({ parameterCount, shards, shard, chunkSize: 40, topK: 7, bits })).toBe(
        bytes.length,
      );
    }
  });
});
