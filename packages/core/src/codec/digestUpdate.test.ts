import { CodecParameterError } from '../errors/codec.js';
import { digestUpdate } from './digestUpdate.js';

describe('digestUpdate', () => {
  it('is keccak256 of the bytes as 0x-prefixed hex', () => {
    expect(digestUpdate(new Uint8Array())).toBe(
      '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    expect(digestUpdate(new TextEncoder().encode('abc'))).toBe(
      '0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45',
    );
  });

  it('digests a view, not its whole buffer', () => {
    const backing = new TextEncoder().encode('xxabcxx');
    expect(digestUpdate(backing.subarray(2, 5))).toBe(digestUpdate(new TextEncoder().encode('abc')));
  });

  it('rejects what is not bytes', () => {
    expect(() => digestUpdate('abc' as unknown as Uint8Array)).toThrow(CodecParameterError);
  });
});
