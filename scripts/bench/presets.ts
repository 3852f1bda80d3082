import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  compressUpdate,
  createModel,
  encodeUpdate,
  evaluateLoss,
  getParameters,
  hyperparameterPresets,
  selectBackend,
  shardRange,
  silentLogger,
  trainInnerSteps,
} from '@tessera/core';
import type { BackendName, ModelPresetName } from '@tessera/core';
import { presetBatches } from './presetBatches.js';
import type { Bench, BenchResult } from './types.js';

/** The presets a GPU miner runs, and the backends tried here in order (the first that loads). */
const presets: ModelPresetName[] = ['gpu-50m', 'gpu-150m'];
const backends: BackendName[] = ['node-gpu', 'node', 'wasm'];

/**
 * Rows per step here: the `gpu` run config trains batches of 16, which on two CPU cores would
 * take minutes a step; one row of the full context shows the preset runs and gives its
 * per-token cost, and the memory of a batch of 16 is the activation figure times 16.
 */
const benchBatchRows = 1;

const mib = (bytes: number) => bytes / 2 ** 20;
const run = promisify(execFile);

/** A pseudo-gradient stand-in of `length` values in ±1e-3 (xorshift32, seed 1). */
function seededDelta(length: number): Float32Array {
  const out = new Float32Array(length);
  let state = 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = ((state >>> 0) / 2 ** 32 - 0.5) * 2e-3;
  }
  return out;
}

/**
 * Measures one preset in this process (see {@link presetsBench}); run by the bench in a child
 * process of its own per preset, because a WebAssembly heap that ran out stays broken.
 */
export async function measurePreset(preset: ModelPresetName): Promise<BenchResult> {
  let backend: BackendName | undefined;
  for (const candidate of backends) {
    try {
      await selectBackend({ preferred: candidate, strict: true, logger: silentLogger, env: {} });
      backend = candidate;
      break;
    } catch {
      process.stderr.write(`presets: backend ${candidate} not available here\n`);
    }
  }
  if (backend === undefined) throw new Error('presets: no TensorFlow.js backend loaded');
  const h = hyperparameterPresets.gpu;
  const { config, batches } = await presetBatches({
    preset,
    pages: benchBatchRows,
    batchSize: benchBatchRows,
  });
  const model = createModel({ config, seed: 1n });
  const row: BenchResult = {
    bench: 'presets',
    backend,
    preset,
    parameters: model.parameterCount,
    paramsMiB: mib(model.parameterCount * 4),
    tokensPerStep: benchBatchRows * config.contextLength,
  };
  const failure = (error: unknown) =>
    error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  try {
    // 1. One forward-only evaluation, as a validator scores an update.
    const evalStarted = performance.now();
    const loss = await evaluateLoss({ model, batch: batches[0]! });
    Object.assign(row, {
      evalMs: performance.now() - evalStarted,
      loss,
      evalRssMiB: mib(process.memoryUsage().rss),
    });

    // 2. One AdamW inner step. The optimizer's moments are released when the steps end,
    // so their bytes are read while they are live, at the step's end.
    const before = getParameters({ model });
    let delta: Float32Array | undefined;
    const range = shardRange({ parameterCount: model.parameterCount, shards: h.shards, shard: 0 });
    try {
      const started = performance.now();
      let stepTensorBytes = 0;
      await trainInnerSteps({
        model,
        batches,
        steps: 1,
        learningRate: h.innerLearningRate,
        onStep: () => {
          stepTensorBytes = tf.memory().numBytes;
        },
      });
      Object.assign(row, {
        stepMs: performance.now() - started,
        tensorMiB: mib(stepTensorBytes),
        stepRssMiB: mib(process.memoryUsage().rss),
      });
      const after = getParameters({ model });
      delta = new Float32Array(range.length);
      for (let i = 0; i < range.length; i++) delta[i] = before[range.offset + i]! - after[range.offset + i]!;
    } catch (error) {
      // A preset too big for this backend (wasm's 4 GiB heap) is a result, not a crash.
      Object.assign(row, { stepError: failure(error) });
    }

    // 3. The compression of shard 0's pseudo-gradient; without a step, of a seeded
    // stand-in of the same length (the codec's cost depends on the length, not the values).
    const source = delta ?? seededDelta(range.length);
    const compressStarted = performance.now();
    const compressed = compressUpdate({
      delta: source,
      errorFeedback: new Float32Array(range.length),
      chunkSize: h.chunkSize,
      topK: h.topK,
      bits: h.quantBits,
    });
    const bytes = encodeUpdate({
      ...compressed,
      window: 0,
      parameterCount: model.parameterCount,
      shards: h.shards,
      shard: 0,
    });
    Object.assign(row, {
      compressMs: performance.now() - compressStarted,
      compressedFrom: delta === undefined ? 'stand-in' : 'step',
      updateBytes: bytes.length,
      vsFp32: (range.length * 4) / bytes.length,
    });
    return row;
  } catch (error) {
    return { ...row, error: failure(error) };
  } finally {
    model.dispose();
  }
}

/**
 * The GPU presets end to end on the machine's best backend: one AdamW inner step on one row of
 * the full context, the compression of one shard's pseudo-gradient with the `gpu` run config's
 * codec (chunk 4096, top 128, 2 bits), and one forward-only evaluation, each timed, with the
 * tensor memory live after the step and the process's resident set size.
 */
export const presetsBench: Bench = {
  name: 'presets',
  description:
    `The GPU model presets on this machine's best backend: one AdamW inner step on ${benchBatchRows} row of the full context ` +
    "(`stepMs`, with its first-call compilation), the compression of shard 0's pseudo-gradient with the `gpu` run " +
    "config's codec and its encoding (`compressMs`, `updateBytes`, `vsFp32` the shard's float32 bytes over them), one forward-only evaluation (`evalMs`); `tensorMiB` is the " +
    "tensor memory live at the end of the step (parameters, AdamW moments, what the step kept), `paramsMiB` the parameters' float32 bytes, `evalRssMiB` and " +
    "`stepRssMiB` the process's resident set after each; `stepError` says why a step did not run. Each preset " +
    'runs in a process of its own. No GPU was at hand for these figures: on a GPU host, install tfjs-node-gpu ' +
    'and run the same command. `--quick` runs gpu-50m only.',
  async *run({ quick }): AsyncIterable<BenchResult> {
    for (const preset of quick ? presets.slice(0, 1) : presets) yield await measureInChild(preset);
  },
};

/** Runs {@link measurePreset} in a child process and reads its one JSON line. */
async function measureInChild(preset: ModelPresetName): Promise<BenchResult> {
  const script = fileURLToPath(import.meta.url);
  try {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', script, preset],
      {
        maxBuffer: 1 << 20,
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as BenchResult;
  } catch (error) {
    // The row, when it was written before a WebAssembly error took the process down.
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    const written = stdout.trim().split('\n').at(-1);
    if (written?.startsWith('{')) return JSON.parse(written) as BenchResult;
    const last = stderr
      .split('\n')
      .filter((line) => /Error/.test(line) && line.length < 300)
      .at(-1);
    return { bench: 'presets', preset, error: `the process died: ${last ?? String(error)}` };
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const preset = process.argv[2] as ModelPresetName;
  if (!presets.includes(preset)) throw new Error(`presets: unknown preset ${preset}`);
  process.stdout.write(`${JSON.stringify(await measurePreset(preset))}\n`);
}
