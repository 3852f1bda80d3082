/**
 * Long fuzz run of the strict update decoder: random and mutated inputs, nothing but
 * UpdateDecodeError may escape, every accepted output must keep the decoder's promises.
 *
 *   npx tsx --conditions=source scripts/fuzz-decoder.ts [--iterations 100000] [--seed 1]
 *
 * Prints progress on stderr, then one JSON summary on stdout (counts per rejection reason
 * and mutation, peak memory); exits 1 if any input broke the contract.
 */
import { parseArgs } from 'node:util';
import { fuzzDecoder } from '../packages/core/src/_test/fuzzDecoder.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(
    'Usage: npx tsx --conditions=source scripts/fuzz-decoder.ts [--iterations N] [--seed S]\n',
  );
  process.exit(0);
}
const iterations = Number(values.iterations);
const seed = Number(values.seed);
if (!Number.isSafeInteger(iterations) || iterations < 1 || !Number.isSafeInteger(seed)) {
  process.stderr.write('--iterations must be a positive integer and --seed an integer.\n');
  process.exit(2);
}

let peakHeap = 0;
const started = performance.now();
const result = fuzzDecoder({
  iterations,
  seed,
  progressEvery: 10_000,
  onProgress: (done) => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    process.stderr.write(
      `${done}/${iterations} inputs, ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
  },
});
peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
const summary = {
  iterations: result.iterations,
  seed,
  accepted: result.accepted,
  rejected: result.rejected,
  mutations: result.mutations,
  failures: result.failures.length,
  firstFailures: result.failures.slice(0, 5),
  largestInputBytes: result.largestInput,
  seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  peakRssMiB: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
  peakHeapMiB: Number((peakHeap / 2 ** 20).toFixed(1)),
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exit(result.failures.length === 0 ? 0 : 1);
