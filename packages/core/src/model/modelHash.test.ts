import { modelHash } from './modelHash.js';

describe('modelHash', () => {
  it('hashes the little-endian float32 bytes of a fixed vector to a fixed value', () => {
    // Bytes: 0000803f 000020c0 00000000 ffff7f7f 01000000 00000080
    const parameters = new Float32Array([1, -2.5, 0, 3.4028234663852886e38, 1e-45, -0]);
    expect(modelHash({ parameters })).toBe(
      '0x82fcec0f1c8a4317169c3b6e87eed478caa42d806ca4877aa03c84ee4adae9d7',
    );
  });

  it('hashes the empty vector to keccak256 of no bytes', () => {
    expect(modelHash({ parameters: new Float32Array(0) })).toBe(
      '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
  });

  it('tells +0 from -0 and notices a one-ulp change', () => {
    const a = new Float32Array([0, 1, 2]);
    const b = new Float32Array([-0, 1, 2]);
    const c = new Float32Array([0, 1, 2.0000002384185791]);
    expect(
      new Set([modelHash({ parameters: a }), modelHash({ parameters: b }), modelHash({ parameters: c })])
        .size,
    ).toBe(3);
  });

  it('hashes only the view, not the rest of its buffer', () => {
    const backing = new Float32Array([9, 1, -2.5, 9]);
    expect(modelHash({ parameters: backing.subarray(1, 3) })).toBe(
      modelHash({ parameters: new Float32Array([1, -2.5]) }),
    );
  });
});
