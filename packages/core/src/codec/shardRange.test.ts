import { CodecParameterError } from '../errors/codec.js';
import { createRandom } from '../common/createRandom.js';
import { shardRange } from './shardRange.js';

describe('shardRange', () => {
  it('cuts [floor(s·N/S), floor((s+1)·N/S))', () => {
    expect(shardRange({ parameterCount: 10, shards: 3, shard: 0 })).toEqual({ offset: 0, length: 3, end: 3 });
    expect(shardRange({ parameterCount: 10, shards: 3, shard: 1 })).toEqual({ offset: 3, length: 3, end: 6 });
    expect(shardRange({ parameterCount: 10, shards: 3, shard: 2 })).toEqual({
      offset: 6,
      length: 4,
      end: 10,
    });
    expect(shardRange({ parameterCount: 7, shards: 1, shard: 0 })).toEqual({ offset: 0, length: 7, end: 7 });
  });

  it('tiles the vector with non-empty shards whose lengths differ by at most one', () => {
    const random = createRandom({ seed: 3 });
    for (let trial = 0; trial < 200; trial++) {
      const parameterCount = 1 + random.int(trial < 100 ? 1000 : 2 ** 32 - 1);
      const shards = 1 + random.int(Math.min(parameterCount, 300));
      let next = 0;
      let gaps = 0;
      const lengths = new Set<number>();
      for (let shard = 0; shard < shards; shard++) {
        const range = shardRange({ parameterCount, shards, shard });
        if (range.offset !== next || range.length < 1) gaps++;
        lengths.add(range.length);
        next = range.end;
      }
      expect(gaps).toBe(0);
      expect(next).toBe(parameterCount);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    }
  });

  it('is exact at the largest sizes', () => {
    const range = shardRange({ parameterCount: 2 ** 32 - 1, shards: 65535, shard: 65534 });
    expect(range.end).toBe(2 ** 32 - 1);
    expect(range.offset).toBe(Number((65534n * (2n ** 32n - 1n)) / 65535n));
  });

  it.each([
    [{ parameterCount: 0, shards: 1, shard: 0 }, 'parameterCount'],
    [{ parameterCount: 2 ** 32, shards: 1, shard: 0 }, 'parameterCount'],
    [{ parameterCount: 10, shards: 11, shard: 0 }, 'shards'],
    [{ parameterCount: 10, shards: 0, shard: 0 }, 'shards'],
    [{ parameterCount: 10, shards: 2, shard: 2 }, 'shard'],
    [{ parameterCount: 10, shards: 2, shard: -1 }, 'shard'],
    [{ parameterCount: 10.5, shards: 2, shard: 0 }, 'parameterCount'],
  ])('rejects %j', (parameters, parameter) => {
    expect(() => shardRange(parameters)).toThrow(CodecParameterError);
    expect(() => shardRange(parameters)).toThrow(expect.objectContaining({ parameter }));
  });
});
