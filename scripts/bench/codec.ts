import { compressUpdate, createRandom, decodeUpdate, digestUpdate, encodeUpdate } from '@tessera/core';
import type { QuantBits } from '@tessera/core';
import type { Bench, BenchResult } from './types.js';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** A deterministic heavy-tailed pseudo-gradient (cubed normals), like real Δ's magnitudes. */
function makeDelta(length: number, seed: number): Float32Array {
  const random = createRandom({ seed });
  const delta = new Float32Array(length);
  for (let i = 0; i < length; i++) delta[i] = 1e-3 * random.normal() ** 3;
  return delta;
}

/**
 * Update codec throughput on one shard: compress (error feedback, top-k, quantize) plus
 * encode, and strict decode, in MB of float32 shard per second; ratio against float32.
 */
export const codecBench: Bench = {
  name: 'codec',
  description:
    'Update codec on one shard of a 10M-parameter model, chunks of 4096 (median of several runs): ' +
    '`encodeMBps` is compress (error feedback, per-chunk top-k, quantization) plus wire encoding, ' +
    '`decodeMBps` the strict decode, both in MB of float32 shard (4 bytes per parameter) per second; ' +
    '`compressMs` and `wireEncodeMs` split the encode time; `digestMs` is keccak256 of the bytes; ' +
    '`ratioVsFp32` is the float32 shard size over the encoded size; `relError` is ' +
    '‖sent − (Δ + buffer)‖ / ‖Δ + buffer‖ over the kept entries of one step.',
  async *run({ quick }): AsyncIterable<BenchResult> {
    const parameters = quick ? 1_000_000 : 10_000_000;
    const runs = quick ? 3 : 7;
    const chunkSize = 4096;
    const delta = makeDelta(parameters, 7);
    const megabytes = (parameters * 4) / 1e6;
    for (const [bits, topK] of [
      [2, 128],
      [2, 64],
      [8, 128],
    ] as [QuantBits, number][]) {
      const errorFeedback = new Float32Array(parameters);
      const encodeMs: number[] = [];
      const compressMs: number[] = [];
      const wireMs: number[] = [];
      const decodeMs: number[] = [];
      const digestMs: number[] = [];
      let bytes = new Uint8Array();
      let relError = NaN;
      for (let run = -1; run < runs; run++) {
        const accumulated = run === 0 ? Float32Array.from(errorFeedback, (e, i) => e + delta[i]!) : undefined;
        const t0 = performance.now();
        const compressed = compressUpdate({ delta, errorFeedback, chunkSize, topK, bits });
        const t1 = performance.now();
        bytes = encodeUpdate({
          ...compressed,
          window: run + 1,
          parameterCount: parameters,
          shards: 1,
          shard: 0,
        });
        const t2 = performance.now();
        const decoded = decodeUpdate({
          bytes,
          expected: { parameterCount: parameters, shards: 1, shard: 0, bits, topK },
        });
        const t3 = performance.now();
        digestUpdate(bytes);
        const t4 = performance.now();
        if (decoded.values.length !== compressed.values.length) throw new Error('decode lost entries');
        if (accumulated) {
          let error = 0;
          let norm = 0;
          compressed.indices.forEach((at, t) => {
            error += (accumulated[at]! - compressed.values[t]!) ** 2;
            norm += accumulated[at]! ** 2;
          });
          relError = Math.sqrt(error / norm);
        }
        if (run < 0) continue; // warm-up
        compressMs.push(t1 - t0);
        encodeMs.push(t2 - t0);
        wireMs.push(t2 - t1);
        decodeMs.push(t3 - t2);
        digestMs.push(t4 - t3);
      }
      yield {
        bench: 'codec',
        bits,
        parameters,
        chunkSize,
        topK,
        bytes: bytes.length,
        ratioVsFp32: (parameters * 4) / bytes.length,
        encodeMBps: megabytes / (median(encodeMs) / 1000),
        decodeMBps: megabytes / (median(decodeMs) / 1000),
        compressMs: median(compressMs),
        wireEncodeMs: median(wireMs),
        decodeMs: median(decodeMs),
        digestMs: median(digestMs),
        relError,
      };
    }
  },
};
