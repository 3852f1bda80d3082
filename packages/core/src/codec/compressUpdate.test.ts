import { CodecParameterError } from '../errors/codec.js';
import { createRandom } from '../common/createRandom.js';
import type { Random } from '../common/createRandom.js';
import { compressUpdate } from './compressUpdate.js';
import type { QuantBits } from './wireFormat.js';

const randomDelta = (random: Random, length: number, scale = 1) =>
  Float32Array.from({ length }, () => random.normal() * scale);

describe('compressUpdate', () => {
  it('keeps the top-k magnitudes of every chunk, ascending, ties to the lower index', () => {
    const random = createRandom({ seed: 11 });
    for (let trial = 0; trial < 60; trial++) {
      const length = 1 + random.int(500);
      const chunkSize = 1 + random.int(80);
      const topK = 1 + random.int(chunkSize);
      // Few distinct values, so ties at the threshold are common.
      const delta = Float32Array.from({ length }, () => random.int(7) - 3);
      const acc = Float32Array.from(delta);
      const { indices } = compressUpdate({
        delta,
        errorFeedback: new Float32Array(length),
        chunkSize,
        topK,
        bits: 32,
      });

      const expected: number[] = [];
      for (let start = 0; start < length; start += chunkSize) {
        const chunk = [...acc.subarray(start, start + chunkSize)].map((v, j) => ({ m: Math.abs(v), j }));
        chunk.sort((a, b) => b.m - a.m || a.j - b.j);
        expected.push(
          ...chunk
            .slice(0, topK)
            .map((e) => start + e.j)
            .sort((a, b) => a - b),
        );
      }
      expect([...indices]).toEqual(expected);
    }
  });

  it('leaves in the buffer exactly what was not sent', () => {
    const random = createRandom({ seed: 12 });
    for (const bits of [2, 8, 32] as const) {
      const delta = randomDelta(random, 300);
      const errorFeedback = randomDelta(random, 300, 0.1);
      const acc = delta.map((d, i) => d + errorFeedback[i]!);
      const { indices, values } = compressUpdate({ delta, errorFeedback, chunkSize: 50, topK: 5, bits });
      const sent = new Float32Array(300);
      indices.forEach((at, t) => (sent[at] = values[t]!));
      expect(errorFeedback).toEqual(acc.map((a, i) => a - sent[i]!));
    }
  });

  it('8-bit: symmetric absmax, error at most half a step', () => {
    const random = createRandom({ seed: 13 });
    const delta = randomDelta(random, 1000, 1e-3);
    const acc = Float32Array.from(delta);
    const { indices, values, codes, scales } = compressUpdate({
      delta,
      errorFeedback: new Float32Array(1000),
      chunkSize: 100,
      topK: 20,
      bits: 8,
    });
    for (let t = 0; t < indices.length; t++) {
      const chunk = Math.floor(indices[t]! / 100);
      const step = scales[chunk]!;
      const code = (codes[t]! << 24) >> 24;
      expect(Math.abs(code)).toBeLessThanOrEqual(127);
      expect(values[t]).toBe(Math.fround(code * step));
      expect(Math.abs(acc[indices[t]!]! - values[t]!)).toBeLessThanOrEqual(step / 2 + 1e-12);
    }
    // The largest kept magnitude of each chunk maps to ±127.
    for (let chunk = 0; chunk < 10; chunk++) {
      const chunkCodes = [...codes.subarray(chunk * 20, chunk * 20 + 20)].map((c) =>
        Math.abs((c << 24) >> 24),
      );
      expect(Math.max(...chunkCodes)).toBe(127);
    }
  });

  it('2-bit: the two levels are the least-squares optimum of the kept magnitudes', () => {
    const random = createRandom({ seed: 14 });
    for (let trial = 0; trial < 40; trial++) {
      const topK = 1 + random.int(40);
      // Heavy-tailed values, as pseudo-gradients are.
      const delta = Float32Array.from({ length: 64 }, () => random.normal() ** 3);
      const acc = Float32Array.from(delta);
      const { indices, values, scales } = compressUpdate({
        delta,
        errorFeedback: new Float32Array(64),
        chunkSize: 64,
        topK,
        bits: 2,
      });
      const [small, large] = [scales[0]!, scales[1]!];
      expect(small).toBeLessThanOrEqual(large);
      const magnitudes = [...indices].map((at) => Math.abs(acc[at]!));
      const error = [...indices].reduce((sum, at, t) => sum + (acc[at]! - values[t]!) ** 2, 0);
      // Brute force over every pair of levels taken from split means.
      const sorted = [...magnitudes].sort((a, b) => a - b);
      let best = Infinity;
      for (let split = 0; split <= sorted.length; split++) {
        const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
        const levels = [mean(sorted.slice(0, split)), mean(sorted.slice(split))].filter(
          (x) => !Number.isNaN(x),
        );
        const sse = sorted.reduce((sum, m) => sum + Math.min(...levels.map((l) => (m - l) ** 2)), 0);
        best = Math.min(best, sse);
      }
      expect(error).toBeLessThanOrEqual(best * (1 + 1e-5) + 1e-9);
      // Every value is ±small or ±large with the sign of its input.
      indices.forEach((at, t) => {
        expect([small, large]).toContain(Math.abs(values[t]!));
        if (acc[at]! !== 0) expect(Math.sign(values[t]!)).toBe(Math.sign(acc[at]!));
      });
    }
  });

  it('error feedback: what was sent plus the buffer adds up to every delta given', () => {
    const random = createRandom({ seed: 15 });
    for (const bits of [2, 8] as const) {
      const length = 512;
      const errorFeedback = new Float32Array(length);
      const totalDelta = new Float64Array(length);
      const totalSent = new Float64Array(length);
      for (let step = 0; step < 50; step++) {
        const delta = randomDelta(random, length, 0.01);
        delta.forEach((d, i) => (totalDelta[i]! += d));
        const { indices, values } = compressUpdate({ delta, errorFeedback, chunkSize: 128, topK: 4, bits });
        indices.forEach((at, t) => (totalSent[at]! += values[t]!));
      }
      let worst = 0;
      for (let i = 0; i < length; i++) {
        worst = Math.max(worst, Math.abs(totalSent[i]! + errorFeedback[i]! - totalDelta[i]!));
      }
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('error feedback: a small steady signal is sent once it has built up', () => {
    const length = 64;
    const errorFeedback = new Float32Array(length);
    let sentAtZero = 0;
    for (let step = 0; step < 40; step++) {
      // Coordinate 0 gets 0.1 each step; the others get alternating ±1, which cancels out.
      const delta = Float32Array.from({ length }, (_, i) =>
        i === 0 ? 0.1 : (step % 2 === 0 ? 1 : -1) * (1 + i / 100),
      );
      const { indices, values } = compressUpdate({ delta, errorFeedback, chunkSize: 64, topK: 8, bits: 8 });
      indices.forEach((at, t) => {
        if (at === 0) sentAtZero += values[t]!;
      });
    }
    expect(sentAtZero).toBeGreaterThan(2);
    expect(sentAtZero + errorFeedback[0]!).toBeCloseTo(4, 4);
  });

  it('is deterministic', () => {
    const random = createRandom({ seed: 16 });
    const delta = randomDelta(random, 1000);
    const run = (bits: QuantBits) =>
      compressUpdate({ delta, errorFeedback: new Float32Array(1000), chunkSize: 96, topK: 9, bits });
    for (const bits of [2, 8, 32] as const) expect(run(bits)).toEqual(run(bits));
  });

  it('handles zero chunks, a short last chunk and topK = chunkSize', () => {
    const delta = new Float32Array(10);
    delta[9] = -3;
    const zeros = compressUpdate({
      delta,
      errorFeedback: new Float32Array(10),
      chunkSize: 4,
      topK: 2,
      bits: 2,
    });
    expect([...zeros.indices]).toEqual([0, 1, 4, 5, 8, 9]);
    expect([...zeros.scales]).toEqual([0, 0, 0, 0, 0, 3]);
    expect(zeros.values[5]).toBe(-3);
    const dense = compressUpdate({
      delta,
      errorFeedback: new Float32Array(10),
      chunkSize: 4,
      topK: 4,
      bits: 32,
    });
    expect([...dense.indices]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('rejects NaN and infinity without touching the buffer', () => {
    const delta = Float32Array.of(1, NaN, 2);
    const errorFeedback = Float32Array.of(0.5, 0.5, 0.5);
    expect(() => compressUpdate({ delta, errorFeedback, chunkSize: 2, topK: 1, bits: 8 })).toThrow(
      expect.objectContaining({ name: 'CodecParameterError', parameter: 'delta' }),
    );
    expect([...errorFeedback]).toEqual([0.5, 0.5, 0.5]);
    // Finite inputs whose float32 sum overflows.
    expect(() =>
      compressUpdate({
        delta: Float32Array.of(3e38),
        errorFeedback: Float32Array.of(3e38),
        chunkSize: 1,
        topK: 1,
        bits: 8,
      }),
    ).toThrow(CodecParameterError);
  });

  it('keeps values finite next to float32 maximum', () => {
    const delta = Float32Array.of(3.4028234e38, -3.4028234e38, 1);
    const { values } = compressUpdate({
      delta,
      errorFeedback: new Float32Array(3),
      chunkSize: 3,
      topK: 3,
      bits: 8,
    });
    expect([...values].every(Number.isFinite)).toBe(true);
  });

  it.each([
    [{ chunkSize: 0 }, 'chunkSize'],
    [{ chunkSize: 2 ** 24 + 1 }, 'chunkSize'],
    [{ topK: 0 }, 'topK'],
    [{ topK: 5 }, 'topK'],
    [{ bits: 4 }, 'bits'],
    [{ errorFeedback: new Float32Array(3) }, 'errorFeedback'],
    [{ delta: new Float32Array(0), errorFeedback: new Float32Array(0) }, 'delta.length'],
    [{ delta: [1, 2, 3, 4] }, 'delta'],
  ])('rejects %p', (override, parameter) => {
    const parameters = {
      delta: new Float32Array(4),
      errorFeedback: new Float32Array(4),
      chunkSize: 4,
      topK: 2,
      bits: 8,
      ...override,
    };
    expect(() => compressUpdate(parameters as never)).toThrow(expect.objectContaining({ parameter }));
  });
});
