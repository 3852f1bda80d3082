import { DataError } from '../errors/data.js';
import { buildBatches } from './buildBatches.js';

const page = (start: number) => Int32Array.from({ length: 4 }, (_, i) => start + i);

describe('buildBatches', () => {
  it('packs pages row-major in order, the last batch smaller', () => {
    const batches = buildBatches({ pages: [page(0), page(10), page(20)], batchSize: 2 });
    expect(batches.map((b) => [b.batchSize, b.rowLength])).toEqual([
      [2, 4],
      [1, 4],
    ]);
    expect(Array.from(batches[0]!.tokens)).toEqual([0, 1, 2, 3, 10, 11, 12, 13]);
    expect(Array.from(batches[1]!.tokens)).toEqual([20, 21, 22, 23]);
  });

  it('drops a short last batch on request, and copies the pages', () => {
    const pages = [page(0), page(10), page(20)];
    const batches = buildBatches({ pages, batchSize: 2, dropRemainder: true });
    expect(batches).toHaveLength(1);
    pages[0]![0] = 99;
    expect(batches[0]!.tokens[0]).toBe(0);
    expect(buildBatches({ pages: [], batchSize: 4 })).toEqual([]);
  });

  it('rejects pages of unequal length and a bad batch size', () => {
    expect(() => buildBatches({ pages: [page(0), new Int32Array(3)], batchSize: 2 })).toThrow(/equal length/);
    expect(() => buildBatches({ pages: [page(0)], batchSize: 0 })).toThrow(DataError);
  });
});
