import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  backendOrder,
  createCorpus,
  getModelPreset,
  heldOutBatches,
  hyperparameterPresets,
  modelPresets,
  parameterCount,
  parseHyperparameters,
  selectBackend,
  silentLogger,
} from '@tessera/core';
import type { BackendName, Hyperparameters } from '@tessera/core';
import { lineChartSvg } from './paritySvg.js';
import { learningRateSchedule } from './paritySchedule.js';
import { parityRunNames, runParity } from './parityRuns.js';
import type { ParityRunName } from './parityRuns.js';
import type { Bench, BenchFlagValues, BenchResult } from './types.js';

/** The plot's file name, beside BENCHMARKS.md. */
export const parityPlotFile = 'BENCHMARKS-parity.svg';

const runLabels: Record<ParityRunName, string> = {
  protocol: 'protocol (as configured)',
  diloco: 'dense DiLoCo',
  ddp: 'data-parallel',
  single: 'single trainer (fresh pages)',
};

/** What the flags ask for, defaults applied. */
type ParityOptions = {
  presetName: string;
  hyperparameters: Hyperparameters;
  windows: number;
  miners: number;
  seeds: number;
  heldOutPages: number;
  backend: BackendName | 'auto';
  /** Inner learning-rate factor of each window (`--lr-warmup`, `--lr-decay`, `--lr-min`). */
  learningRateFactor: (window: number) => number;
  /** `--ef-decay`: β the error-feedback buffers are multiplied by each window. */
  errorFeedbackDecay: number;
  /** `--keep-inner-state`: miners and the reference keep their AdamW across windows. */
  keepInnerState: boolean;
  /** `--runs`: the runs to make, a subset of `parityRunNames` that holds `ddp` (all by default). */
  runs: readonly ParityRunName[];
  /** What the schedule and decay flags asked for, for the summary. */
  levers: Record<string, string | number>;
};

/**
 * The run's hyperparameters for `--preset`: a name of `hyperparameterPresets` as it is; a
 * name of `modelPresets` alone is the `tiny` run with that model, pages its context long.
 * `--hyperparameters` (JSON) goes over either.
 */
function resolveHyperparameters(name: string, overrides: string | undefined): Hyperparameters {
  let base: Record<string, unknown>;
  if (Object.hasOwn(hyperparameterPresets, name)) {
    base = { ...hyperparameterPresets[name as keyof typeof hyperparameterPresets] };
  } else if (Object.hasOwn(modelPresets, name)) {
    const config = getModelPreset({ name });
    base = { ...hyperparameterPresets.tiny, modelPreset: name, pageTokens: config.contextLength };
  } else {
    throw new Error(
      `parity: unknown preset "${name}". Known: ${[...Object.keys(hyperparameterPresets), ...Object.keys(modelPresets)].join(', ')}.`,
    );
  }
  const extra: unknown = overrides === undefined ? {} : JSON.parse(overrides);
  if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) {
    throw new Error('parity: --hyperparameters must be a JSON object, e.g. {"innerSteps":16}.');
  }
  return parseHyperparameters({ ...base, ...extra });
}

function readOptions(quick: boolean, flags: BenchFlagValues): ParityOptions {
  const count = (name: string, fallback: number, quickValue: number) => {
    const raw = flags[name];
    const value = typeof raw === 'string' ? Number(raw) : quick ? quickValue : fallback;
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`parity: --${name} must be a positive integer.`);
    return value;
  };
  const presetName = typeof flags.preset === 'string' ? flags.preset : 'tiny';
  const overrides = typeof flags.hyperparameters === 'string' ? flags.hyperparameters : undefined;
  const windows = count('windows', 20, 2);
  const fraction = (name: string, fallback: number) => {
    const raw = flags[name];
    const value = typeof raw === 'string' ? Number(raw) : fallback;
    if (!(value >= 0 && value <= 1)) throw new Error(`parity: --${name} must be a number in [0, 1].`);
    return value;
  };
  const warmupWindows = typeof flags['lr-warmup'] === 'string' ? Number(flags['lr-warmup']) : 0;
  const decay = flags['lr-decay'] ?? 'none';
  if (decay !== 'none' && decay !== 'cosine' && decay !== 'linear') {
    throw new Error('parity: --lr-decay must be none, cosine or linear.');
  }
  const minFactor = fraction('lr-min', 0.1);
  const errorFeedbackDecay = fraction('ef-decay', 1);
  const levers: Record<string, string | number> = {};
  if (warmupWindows > 0) levers.lrWarmupWindows = warmupWindows;
  if (decay !== 'none') Object.assign(levers, { lrDecay: decay, lrMinFactor: minFactor });
  if (errorFeedbackDecay !== 1) levers.errorFeedbackDecay = errorFeedbackDecay;
  const keepInnerState = flags['keep-inner-state'] === true;
  if (keepInnerState) levers.keepInnerState = 'yes';
  const runs =
    typeof flags.runs === 'string'
      ? parityRunNames.filter((run) => (flags.runs as string).split(',').includes(run))
      : parityRunNames;
  if (!runs.includes('ddp')) {
    throw new Error(
      `parity: --runs must name ddp (every loss is measured against it), from ${parityRunNames.join(', ')}.`,
    );
  }
  return {
    runs,
    presetName,
    hyperparameters: resolveHyperparameters(presetName, overrides),
    windows,
    learningRateFactor: learningRateSchedule({ warmupWindows, decay, minFactor, windows }),
    errorFeedbackDecay,
    keepInnerState,
    levers,
    miners: count('miners', 3, 2),
    seeds: count('seeds', 2, 1),
    heldOutPages: count('held-out-pages', 64, 8),
    backend: readBackend(flags.backend),
  };
}

function readBackend(raw: string | boolean | undefined): BackendName | 'auto' {
  if (raw === undefined) return 'auto';
  if (raw === 'auto' || backendOrder.includes(raw as BackendName)) return raw as BackendName | 'auto';
  throw new Error(`parity: --backend must be auto or one of ${backendOrder.join(', ')}.`);
}

/** Seed `s` of the benchmark: the preset's run seed for 0, else keccak256 of it and `s`. */
function runSeedOf(base: Hyperparameters['runSeed'], seed: number): Hyperparameters['runSeed'] {
  if (seed === 0) return base;
  return `0x${bytesToHex(keccak_256(new TextEncoder().encode(`${base} parity seed ${seed}`)))}`;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * How close training over the network comes to training on one machine: the protocol as
 * configured, dense DiLoCo, data-parallel and a single trainer at equal tokens (see
 * parityRuns.ts for how each is built).
 */
export const parityBench: Bench = {
  name: 'parity',
  description:
    'Training over the network against training on one machine, at equal training tokens from the same θ_0, the ' +
    "networked runs and ddp on the same assigned pages (`assignWork` from each window's block hash), for each seed: `protocol` is the network as " +
    "the preset configures it (each miner's honest window: H AdamW steps, Δ, error feedback, top-k, quantization, " +
    "wire format; the validator's reference update sets the clip bound ρ, the decoded updates are clipped and " +
    'averaged by `aggregateUpdates`, and the next model is what `createModelSync` replays from the committed ' +
    'bytes, hash-checked; every update enters the aggregate, scoring is not run); `diloco` is the same inner and ' +
    'outer loop dense (float32, no clipping); `ddp` averages the miners’ gradients every step (one AdamW kept ' +
    'for the run); `single` is one AdamW trainer on fresh pages at the same tokens (as many steps as the miners ' +
    'together, each on as many rows, every row a training page it never saw before, so no page repeats). ' +
    'Held-out loss is `meanLoss` ' +
    'on the first pages of the held-out split after every window; `bytesPerUpdate` is what one worker sends per ' +
    'update (per window; per step for ddp), `ratioVsFp32` the float32 size of what it covers over that; the ' +
    "validator's reference update is not counted in `tokens`.",
  flags: {
    preset: { type: 'string' },
    windows: { type: 'string' },
    miners: { type: 'string' },
    seeds: { type: 'string' },
    'held-out-pages': { type: 'string' },
    hyperparameters: { type: 'string' },
    backend: { type: 'string' },
    'lr-warmup': { type: 'string' },
    'lr-decay': { type: 'string' },
    'lr-min': { type: 'string' },
    'ef-decay': { type: 'string' },
    'keep-inner-state': { type: 'boolean' },
    runs: { type: 'string' },
  },
  async *run({ quick, flags }): AsyncIterable<BenchResult> {
    const options = readOptions(quick, flags);
    const { windows, miners, seeds } = options;
    const h0 = options.hyperparameters;
    if (miners > h0.aggregationSize) {
      throw new Error(
        `parity: ${miners} miners but aggregates of at most ${h0.aggregationSize}; choosing among them needs scoring, which this benchmark does not run.`,
      );
    }
    const backend = await selectBackend({
      ...(options.backend === 'auto' ? {} : { preferred: options.backend, strict: true }),
      logger: silentLogger,
    });
    const modelConfig = getModelPreset({ name: h0.modelPreset });
    const corpus = await createCorpus({
      vocabSize: modelConfig.vocabSize,
      pageTokens: h0.pageTokens,
      cacheDir: '.tessera/cache',
    });
    const heldOut = heldOutBatches({ corpus, pages: options.heldOutPages, batchSize: h0.batchSize });
    const heldOutRows = heldOut.reduce((rows, batch) => rows + batch.batchSize, 0);
    const parameters = parameterCount({ config: modelConfig });
    process.stderr.write(
      `parity: preset ${options.presetName} (model ${modelConfig.name}, ${parameters} parameters), ${miners} miners × ${h0.innerSteps} inner steps × ${windows} windows, ${seeds} seed(s), backend ${backend.name}\n`,
    );

    const started = performance.now();
    const finals = new Map<ParityRunName, number[]>(options.runs.map((run) => [run, []]));
    const perRun = new Map<ParityRunName, BenchResult>();
    const tokensOf = new Set<number>();
    for (let seed = 0; seed < seeds; seed++) {
      const hyperparameters = parseHyperparameters({ ...h0, runSeed: runSeedOf(h0.runSeed, seed) });
      for (const run of options.runs) {
        const runStarted = performance.now();
        const result = await runParity(run, {
          hyperparameters,
          modelConfig,
          corpus,
          heldOut,
          miners,
          windows,
          learningRateFactor: options.learningRateFactor,
          errorFeedbackDecay: options.errorFeedbackDecay,
          keepInnerState: options.keepInnerState,
          onWindow: ({ window, loss }) => {
            if (window === windows || window % 5 === 0) {
              process.stderr.write(
                `parity: seed ${seed} ${run} window ${window}/${windows} held-out ${loss.toFixed(4)} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
              );
            }
          },
        });
        tokensOf.add(result.tokens);
        const finalLoss = result.heldOutLoss.at(-1)!;
        finals.get(run)!.push(finalLoss);
        const row: BenchResult = {
          bench: 'parity',
          run,
          seed,
          preset: options.presetName,
          tokens: result.tokens,
          finalLoss,
          bytesPerUpdate: result.bytesPerUpdate,
          bytesPerWindow: result.bytesPerWindow,
          ratioVsFp32: result.ratioVsFp32 ?? null,
          seconds: (performance.now() - runStarted) / 1000,
          tokensAt: result.tokensAt,
          heldOutLoss: result.heldOutLoss,
        };
        perRun.set(run, row);
        yield row;
      }
    }
    if (tokensOf.size !== 1) {
      throw new Error(`parity: the runs trained on different token counts: ${[...tokensOf].join(', ')}`);
    }
    const ddp = median(finals.get('ddp')!);
    const summaries = new Map<ParityRunName, BenchResult>();
    for (const run of options.runs) {
      const losses = finals.get(run)!;
      const last = perRun.get(run)!;
      const summary: BenchResult = {
        bench: 'parity',
        run,
        seeds,
        finalLosses: losses,
        medianLoss: median(losses),
        meanLoss: mean(losses),
        lossVsDdp: median(losses) / ddp,
        bytesPerUpdate: last.bytesPerUpdate,
        ratioVsFp32: last.ratioVsFp32,
      };
      summaries.set(run, summary);
      yield summary;
    }
    yield {
      bench: 'parity',
      summary: true,
      lossRatioVsDdp: summaries.get('protocol')?.lossVsDdp ?? null,
      ratioVsFp32: summaries.get('protocol')?.ratioVsFp32 ?? null,
      dilocoLossVsDdp: summaries.get('diloco')?.lossVsDdp ?? null,
      singleLossVsDdp: summaries.get('single')?.lossVsDdp ?? null,
      preset: options.presetName,
      model: modelConfig.name,
      parameters,
      miners,
      windows,
      innerSteps: h0.innerSteps,
      ...options.levers,
      seeds,
      tokens: [...tokensOf][0],
      heldOutTokens: heldOutRows * h0.pageTokens,
      backend: backend.name,
      seconds: (performance.now() - started) / 1000,
    };
  },
  render: renderParity,
};

/** The section body: the runs' final losses and sizes, the loss per window, the plot. */
function renderParity(results: readonly BenchResult[]): { body: string; files: Record<string, string> } {
  const summary = results.find((r) => r.summary === true);
  const seedRows = results.filter((r) => r.seed !== undefined);
  const runRows = results.filter((r) => r.seeds !== undefined && r.summary !== true);
  const num = (v: unknown, digits = 4) => (typeof v === 'number' ? v.toFixed(digits) : '');
  const int = (v: unknown) => (typeof v === 'number' ? String(Math.round(v)) : '');
  if (summary === undefined) return { body: 'No summary: the run did not finish.', files: {} };

  const setting =
    `Preset \`${String(summary.preset)}\` (model \`${String(summary.model)}\`, ${int(summary.parameters)} parameters), ` +
    `${int(summary.miners)} miners × ${int(summary.innerSteps)} inner steps × ${int(summary.windows)} windows = ` +
    `${int(summary.tokens)} training tokens per run, ${int(summary.seeds)} seeds, held-out loss on ` +
    `${int(summary.heldOutTokens)} held-out tokens, backend ${String(summary.backend)}, ` +
    `${num(summary.seconds, 0)} s in all. Protocol loss over data-parallel: **${num(summary.lossRatioVsDdp, 3)}**, ` +
    `its updates ${num(summary.ratioVsFp32, 1)}× smaller than float32.` +
    (summary.lrWarmupWindows === undefined
      ? ''
      : ` Inner learning rate warmed up over ${int(summary.lrWarmupWindows)} windows.`) +
    (summary.lrDecay === undefined
      ? ''
      : ` Inner learning rate decayed (${String(summary.lrDecay)}) to ${String(summary.lrMinFactor)} of itself by the last window.`) +
    (summary.errorFeedbackDecay === undefined
      ? ''
      : ` Error-feedback buffers multiplied by ${String(summary.errorFeedbackDecay)} each window.`) +
    (summary.keepInnerState === undefined
      ? ''
      : ' Miners and the reference keep their AdamW state across windows.');
  const runTable = [
    '| run | final held-out loss by seed | median | mean | vs ddp | bytes per update | vs fp32 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...runRows.map((r) => {
      const run = r.run as ParityRunName;
      const losses = (r.finalLosses as number[]).map((v) => v.toFixed(4)).join(', ');
      const bytes = r.bytesPerUpdate === 0 ? '–' : int(r.bytesPerUpdate);
      const ratio = typeof r.ratioVsFp32 === 'number' ? num(r.ratioVsFp32, 1) : '–';
      return `| ${runLabels[run]} | ${losses} | ${num(r.medianLoss)} | ${num(r.meanLoss)} | ${num(r.lossVsDdp, 3)} | ${bytes} | ${ratio} |`;
    }),
  ].join('\n');

  // Median over seeds of each run's loss after each window.
  const shown = parityRunNames.filter((run) => runRows.some((r) => r.run === run));
  const curves = shown.map((run) => {
    const rows = seedRows.filter((r) => r.run === run);
    const losses = rows.map((r) => r.heldOutLoss as number[]);
    const tokensAt = (rows[0]?.tokensAt as number[] | undefined) ?? [];
    return { run, tokensAt, loss: tokensAt.map((_, w) => median(losses.map((curve) => curve[w]!))) };
  });
  const windowsCount = curves[0]!.tokensAt.length;
  const every = Math.max(1, Math.ceil((windowsCount - 1) / 10));
  const curveTable = [
    `| after window | tokens | ${shown.join(' | ')} |`,
    `| --- | --- | ${shown.map(() => '---').join(' | ')} |`,
    ...Array.from({ length: windowsCount }, (_, w) => w)
      .filter((w) => w % every === 0 || w === windowsCount - 1)
      .map(
        (w) =>
          `| ${w === 0 ? 'θ_0' : w} | ${curves[0]!.tokensAt[w]} | ${curves.map((c) => c.loss[w]!.toFixed(4)).join(' | ')} |`,
      ),
  ].join('\n');
  const svg = lineChartSvg({
    title: `Held-out loss, ${String(summary.preset)} preset, median of ${int(summary.seeds)} seeds`,
    xLabel: 'training tokens',
    yLabel: 'held-out loss (nats per token)',
    series: curves.map((c) => ({
      name: runLabels[c.run],
      points: c.tokensAt.map((tokens, w) => [tokens, c.loss[w]!] as const),
    })),
  });
  const body = [
    setting,
    '',
    runTable,
    '',
    `Held-out loss by window (median over seeds), plotted in [${parityPlotFile}](${parityPlotFile}):`,
    '',
    curveTable,
    '',
    `![Held-out loss per window of the four runs](${parityPlotFile})`,
  ].join('\n');
  return { body, files: { [parityPlotFile]: svg } };
}
