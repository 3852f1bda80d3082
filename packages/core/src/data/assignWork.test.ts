import { AbiCoder, keccak256, solidityPackedKeccak256 } from 'ethers';
import { DataError } from '../errors/data.js';
import { assignWork } from './assignWork.js';
import type { AssignWorkParameters } from './assignWork.js';
import { createKeccakStream } from './createKeccakStream.js';
import { randomPages } from './randomPages.js';

const blockHash = `0x${'12'.repeat(32)}` as const;
const base: AssignWorkParameters = {
  runSeed: 42n,
  window: 7,
  uid: 3,
  blockHash,
  trainPageCount: 1000,
  pagesPerWindow: 5,
  shards: 4,
};

describe('createKeccakStream', () => {
  it('reads keccak256(seed ‖ uint256(counter)) as big-endian words, block after block', () => {
    const seed = `0x${'34'.repeat(32)}` as const;
    const stream = createKeccakStream({ seed });
    const words = Array.from({ length: 9 }, () => stream.nextUint32());
    const block0 = solidityPackedKeccak256(['bytes32', 'uint256'], [seed, 0]);
    const block1 = solidityPackedKeccak256(['bytes32', 'uint256'], [seed, 1]);
    expect(
      words
        .slice(0, 8)
        .map((w) => w.toString(16).padStart(8, '0'))
        .join(''),
    ).toBe(block0.slice(2));
    expect(words[8]!.toString(16).padStart(8, '0')).toBe(block1.slice(2, 10));
  });

  it('draws below(n) about uniformly and rejects a bad range or seed', () => {
    const stream = createKeccakStream({ seed: new Uint8Array(32) });
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[stream.below(6)] += 1;
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(120);
    expect(() => stream.below(0)).toThrow(DataError);
    expect(() => createKeccakStream({ seed: '0x1234' as `0x${string}` })).toThrow(/32 bytes/);
  });
});

describe('assignWork', () => {
  it('derives its seed as keccak256(abi.encode(runSeed, window, uid, blockHash)) and gives fixed pages', () => {
    const encoded = AbiCoder.defaultAbiCoder().encode(
      ['uint256', 'uint256', 'uint256', 'bytes32'],
      [42n, 7, 3, blockHash],
    );
    const assignment = assignWork(base);
    expect(assignment.seed).toBe(keccak256(encoded));
    expect(assignment).toEqual({
      pages: [584, 929, 271, 8, 211],
      shard: 2,
      seed: '0x915ed1da9dd14ea81be87cc33b83c1391ea627cd9991d36d1793e76c374ff07b',
    });
  });

  it('is deterministic, and changing any input changes the pages', () => {
    const pages = assignWork(base).pages;
    expect(assignWork({ ...base }).pages).toEqual(pages);
    const variants: Partial<AssignWorkParameters>[] = [
      { runSeed: 43n },
      { runSeed: `0x${'00'.repeat(31)}2a` }, // the same uint256 as 42n, written as bytes
      { window: 8 },
      { uid: 4 },
      { blockHash: `0x${'13'.repeat(32)}` },
    ];
    const results = variants.map((change) => assignWork({ ...base, ...change }).pages);
    expect(results[1]).toEqual(pages);
    for (const i of [0, 2, 3, 4]) expect(results[i]).not.toEqual(pages);
  });

  it('draws distinct training pages only; all of them when pagesPerWindow = trainPageCount', () => {
    const all = assignWork({ ...base, trainPageCount: 50, pagesPerWindow: 50 }).pages;
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let uid = 0; uid < 50; uid++) {
      const { pages, shard } = assignWork({ ...base, uid, pagesPerWindow: 20 });
      expect(new Set(pages).size).toBe(20);
      expect(pages.every((p) => Number.isInteger(p) && p >= 0 && p < base.trainPageCount)).toBe(true);
      expect(shard >= 0 && shard < 4).toBe(true);
    }
  });

  it('covers the pages and shards about uniformly', () => {
    const pageCount = 200;
    const hits = new Array(pageCount).fill(0);
    const shards = new Array(4).fill(0);
    for (let window = 0; window < 100; window++) {
      for (let uid = 0; uid < 40; uid++) {
        const assignment = assignWork({ ...base, window, uid, trainPageCount: pageCount, pagesPerWindow: 5 });
        for (const page of assignment.pages) hits[page] += 1;
        shards[assignment.shard] += 1;
      }
    }
    // 20,000 draws over 200 pages: 100 expected per page, standard deviation about 10.
    const chiSquare = hits.reduce((sum, h) => sum + (h - 100) ** 2 / 100, 0);
    expect(chiSquare).toBeLessThan(280); // 199 degrees of freedom; p < 1e-4 beyond this
    expect(Math.min(...hits)).toBeGreaterThan(55);
    expect(Math.max(...hits)).toBeLessThan(145);
    for (const count of shards) expect(Math.abs(count - 1000)).toBeLessThan(120);
  });

  it('rejects malformed inputs', () => {
    const bad: Partial<AssignWorkParameters>[] = [
      { window: -1 },
      { uid: 1.5 },
      { blockHash: '0x12' },
      { runSeed: -1n },
      { runSeed: 1n << 256n },
      { pagesPerWindow: 1001 },
      { pagesPerWindow: 0 },
      { shards: 0 },
      { trainPageCount: 0 },
    ];
    for (const change of bad) {
      expect(() => assignWork({ ...base, ...change })).toThrow(DataError);
    }
  });
});

describe('randomPages', () => {
  const seed = `0x${'34'.repeat(32)}` as const;

  it('draws fixed distinct pages from a seed, leaving out the excluded ones', () => {
    expect(randomPages({ seed, count: 5, pageCount: 100 })).toEqual([68, 44, 60, 33, 24]);
    const pages = randomPages({ seed, count: 5, pageCount: 100, exclude: [68, 33] });
    expect(pages).toHaveLength(5);
    expect(pages).not.toContain(68);
    expect(pages).not.toContain(33);
    expect(pages.slice(0, 3)).toEqual([44, 60, 24]);
  });

  it('can take every page not excluded, and no more', () => {
    const exclude = [0, 1, 2, 50];
    expect(randomPages({ seed, count: 6, pageCount: 10, exclude: [0, 1, 2, 3] }).sort()).toEqual([
      4, 5, 6, 7, 8, 9,
    ]);
    // 50 is outside the range, so 7 pages remain.
    expect(randomPages({ seed, count: 7, pageCount: 10, exclude })).toHaveLength(7);
    expect(() => randomPages({ seed, count: 8, pageCount: 10, exclude })).toThrow(/Not enough pages/);
  });
});
