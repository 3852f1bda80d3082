import { parseSafetensors } from '../_test/parseSafetensors.js';
import { createRandom } from '../common/createRandom.js';
import { ModelError } from '../errors/model.js';
import { encodeSafetensors } from './encodeSafetensors.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('encodeSafetensors', () => {
  it('writes the fixed vector: u64 LE header length, JSON header padded with spaces to 8 bytes, LE float32 data', () => {
    const bytes = encodeSafetensors({
      tensors: [
        { name: 'a', shape: [2], data: Float32Array.of(1, -2) },
        { name: 'b', shape: [], data: Float32Array.of(0.5) },
      ],
      metadata: { k: 'v' },
    });
    // Built by hand (Python struct.pack('<Q', 136) + header + 4 spaces + struct.pack('<3f', 1, -2, 0.5)).
    const header =
      '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[],"data_offsets":[8,12]}}';
    expect(hex(bytes)).toBe(
      `8800000000000000${Buffer.from(header + '    ').toString('hex')}0000803f000000c00000003f`,
    );
  });

  it('round-trips random tensors, names and metadata through an independent parser', () => {
    const random = createRandom({ seed: 3 });
    for (let round = 0; round < 20; round++) {
      const tensors = Array.from({ length: 1 + random.int(6) }, (_, i) => {
        const shape = Array.from({ length: random.int(4) }, () => random.int(5));
        const size = shape.reduce((a, b) => a * b, 1);
        // Names of every length, non-ASCII included, so the padding is exercised.
        const name = `t${i}.${'é'.repeat(random.int(4))}${'x'.repeat(random.int(8))}`;
        return { name, shape, data: Float32Array.from({ length: size }, () => random.normal()) };
      });
      const metadata = round % 2 === 0 ? { format: 'pt', note: 'ü'.repeat(round) } : undefined;
      const bytes = encodeSafetensors({ tensors, metadata });
      const parsed = parseSafetensors(bytes);
      expect(parsed.metadata).toEqual(metadata);
      expect(parsed.order).toEqual(tensors.map((t) => t.name));
      for (const tensor of tensors) {
        const got = parsed.tensors.get(tensor.name);
        expect(got?.shape).toEqual(tensor.shape);
        expect(got?.data).toEqual(tensor.data);
      }
    }
  });

  it('copies subarray views from their own offset', () => {
    const backing = Float32Array.of(9, 1, 2, 9);
    const bytes = encodeSafetensors({ tensors: [{ name: 'v', shape: [2], data: backing.subarray(1, 3) }] });
    expect(parseSafetensors(bytes).tensors.get('v')?.data).toEqual(Float32Array.of(1, 2));
  });

  it.each([
    ['an empty name', [{ name: '', shape: [1], data: new Float32Array(1) }], undefined],
    ['the reserved name', [{ name: '__metadata__', shape: [1], data: new Float32Array(1) }], undefined],
    [
      'a duplicate name',
      [
        { name: 'a', shape: [1], data: new Float32Array(1) },
        { name: 'a', shape: [1], data: new Float32Array(1) },
      ],
      undefined,
    ],
    ['data short of its shape', [{ name: 'a', shape: [2, 2], data: new Float32Array(3) }], undefined],
    ['a negative dimension', [{ name: 'a', shape: [-1], data: new Float32Array(0) }], undefined],
    ['a fractional dimension', [{ name: 'a', shape: [1.5], data: new Float32Array(1) }], undefined],
    ['a non-string metadata value', [], { n: 1 as unknown as string }],
  ])('refuses %s', (_, tensors, metadata) => {
    expect(() => encodeSafetensors({ tensors, metadata })).toThrow(ModelError);
  });
});
