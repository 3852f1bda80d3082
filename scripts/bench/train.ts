import { createModel, evaluateLoss, selectBackend, silentLogger, trainInnerSteps } from '@tessera/core';
import type { BackendName, ModelPresetName } from '@tessera/core';
import { presetBatches } from './presetBatches.js';
import type { Bench, BenchResult } from './types.js';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** What to measure: every backend on `tiny`, and `small` on the fastest backend here. */
const cases: { backend: BackendName; preset: ModelPresetName; steps: number; quickSteps: number }[] = [
  { backend: 'node-gpu', preset: 'tiny', steps: 20, quickSteps: 3 },
  { backend: 'node', preset: 'tiny', steps: 20, quickSteps: 3 },
  { backend: 'wasm', preset: 'tiny', steps: 20, quickSteps: 3 },
  { backend: 'cpu', preset: 'tiny', steps: 6, quickSteps: 2 },
  { backend: 'wasm', preset: 'small', steps: 6, quickSteps: 2 },
];

const batchSize = 8;
const warmupSteps = 2;

/** Inner-loop training speed of the language model per TensorFlow.js backend. */
export const trainBench: Bench = {
  name: 'train',
  description:
    `AdamW inner steps on Brown Corpus pages, batch ${batchSize} × the preset's context length ` +
    `(median step after ${warmupSteps} warm-up steps); \`evalMs\` is one forward-only evaluateLoss of the same ` +
    'batch; `vsCpu` is the cpu backend step time over this one (same preset). Backends whose package is not ' +
    'installed are left out.',
  async *run({ quick }): AsyncIterable<BenchResult> {
    const cpuStepMs = new Map<ModelPresetName, number>();
    const rows: BenchResult[] = [];
    for (const { backend, preset, steps, quickSteps } of cases) {
      try {
        await selectBackend({ preferred: backend, strict: true, logger: silentLogger, env: {} });
      } catch {
        process.stderr.write(`train: backend ${backend} not available here, skipped\n`);
        continue;
      }
      const { config, batches } = await presetBatches({ preset, pages: batchSize * 4, batchSize });
      const model = createModel({ config, seed: 1n });
      try {
        const stamps: number[] = [];
        const count = warmupSteps + (quick ? quickSteps : steps);
        const start = performance.now();
        await trainInnerSteps({
          model,
          batches,
          steps: count,
          learningRate: 1e-3,
          onStep: () => stamps.push(performance.now()),
        });
        const durations = stamps.map((t, i) => t - (i === 0 ? start : (stamps[i - 1] as number)));
        const stepMs = median(durations.slice(warmupSteps));
        const evalSamples: number[] = [];
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          await evaluateLoss({ model, batch: batches[0]! });
          evalSamples.push(performance.now() - t);
        }
        if (backend === 'cpu') cpuStepMs.set(preset, stepMs);
        const row: BenchResult = {
          bench: 'train',
          backend,
          preset,
          parameters: model.parameterCount,
          tokensPerStep: batchSize * config.contextLength,
          steps: count - warmupSteps,
          stepMs,
          tokensPerSec: (batchSize * config.contextLength) / (stepMs / 1000),
          evalMs: median(evalSamples),
        };
        rows.push(row);
      } finally {
        model.dispose();
      }
    }
    for (const row of rows) {
      const cpu = cpuStepMs.get(row.preset as ModelPresetName);
      yield { ...row, vsCpu: cpu === undefined ? '' : cpu / (row.stepMs as number) };
    }
  },
};
