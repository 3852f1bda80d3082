/**
 * The four runs the parity benchmark compares, each trained on the same assigned pages for
 * the same number of tokens from the same θ_0:
 *
 * - `protocol`: the network as configured. Each miner's window is the honest miner's work
 *   (`trainUpdate`: H AdamW steps from θ_w on its assignment, Δ on its shard, error feedback,
 *   top-k, quantization, wire format), committed to an in-memory chain; the validator's
 *   reference update (`trainReferenceUpdate`, on pages from `drawEvaluationPages`) sets the
 *   norm bound ρ, the committed bytes are decoded strictly (`decodeWindowUpdate`) and averaged
 *   with clipping (`aggregateUpdates`), and the next model is the one `createModelSync`
 *   replays from the published aggregate and the committed bytes, hash-checked.
 * - `diloco`: dense DiLoCo, the same inner loop and outer step with compression and clipping
 *   off (float32, every entry, one shard, no norm bound).
 * - `ddp`: data-parallel, the miners as workers averaging gradients every step; one AdamW
 *   step on the workers' batches together is that step (equal rows per worker, one mean).
 * - `single`: one AdamW trainer on fresh pages at the same tokens: it takes as many steps as
 *   the miners together (step s of each, then step s + 1, window after window), each on as
 *   many rows as that miner's batch, but every row is a page it has never trained on
 *   (`randomPages` from the run seed), so no page is seen twice: what one machine with the
 *   same compute and data budget would do.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import {
  aggregateUpdates,
  buildBatches,
  createAdamW,
  createModel,
  createModelSync,
  deadlineOfWindow,
  decodeUpdate,
  decodeWindowUpdate,
  digestUpdate,
  initParameters,
  meanLoss,
  modelHash,
  parseHyperparameters,
  randomPages,
  setParameters,
  shardRange,
  startBlockOfWindow,
  trainInnerSteps,
} from '@tessera/core';
import type {
  AdamW,
  AggregateMember,
  Assignment,
  Corpus,
  Hyperparameters,
  Model,
  ModelConfig,
  SubnetTiming,
  TokenBatch,
} from '@tessera/core';
import {
  deriveEvalSeed,
  drawEvaluationPages,
  trainReferenceUpdate,
  windowAssignments,
} from '@tessera/validator';
import { trainUpdate } from '../../packages/validator/src/_test/trainUpdate.js';
import { createParityChain, parityBlockHash } from './parityChain.js';
import { trainedTokens } from './parityTokens.js';

/** Names of the runs, in the order the benchmark runs and reports them. */
export const parityRunNames = ['protocol', 'diloco', 'ddp', 'single'] as const;
export type ParityRunName = (typeof parityRunNames)[number];

/** What every run of one seed shares. */
export type ParitySetup = {
  hyperparameters: Hyperparameters;
  modelConfig: ModelConfig;
  corpus: Corpus;
  /** Held-out batches every model is measured on after each window. */
  heldOut: readonly TokenBatch[];
  miners: number;
  windows: number;
  /**
   * The inner learning rate of window `w` as a multiple of the preset's, the same in every
   * run (each miner, the validator's reference, and ddp's and single's steps of that
   * window). @default every window 1
   */
  learningRateFactor?: ((window: number) => number) | undefined;
  /**
   * β of error-feedback decay: each miner's (and the reference's) buffer is multiplied by β
   * before the window's Δ is added, so what was never sent fades. @default 1 (no decay)
   */
  errorFeedbackDecay?: number | undefined;
  /**
   * Each miner (and the validator's reference) keeps one AdamW for the run, its moments and
   * step count carried from window to window as DiLoCo workers keep theirs, instead of a
   * fresh one per window. @default false
   */
  keepInnerState?: boolean | undefined;
  /** Called after each window with the held-out loss of the model it produced. */
  onWindow?: ((progress: { run: ParityRunName; window: number; loss: number }) => void) | undefined;
};

/** What one run did. */
export type ParityRunResult = {
  /** Held-out loss of θ_0, then after each window: `windows + 1` values. */
  heldOutLoss: number[];
  /** Training tokens of the run's model (the validator's reference update is not counted). */
  tokens: number;
  /** Training tokens by the end of each window, from 0: `windows + 1` values. */
  tokensAt: number[];
  /** Bytes one worker sends per update (per window; per step for `ddp`); 0 for `single`. */
  bytesPerUpdate: number;
  /** Bytes one worker sends in a window. */
  bytesPerWindow: number;
  /** 4 bytes per parameter the update covers, over `bytesPerUpdate`; undefined when nothing is sent. */
  ratioVsFp32: number | undefined;
};

/** Runs one of the four runs on `setup`. */
export function runParity(run: ParityRunName, setup: ParitySetup): Promise<ParityRunResult> {
  if (run === 'protocol') return runDiloco(setup, 'protocol');
  if (run === 'diloco') return runDiloco(setup, 'diloco');
  return runAdamW(setup, run);
}

const minimumNormBound = 1e-12;

function timingOf(h: Hyperparameters): SubnetTiming {
  return {
    startBlock: 0,
    blocksPerWindow: h.blocksPerWindow,
    windowsPerEpoch: h.windowsPerEpoch,
    deadlineGraceBlocks: h.deadlineGraceBlocks,
  };
}

/** Every miner's assignment of window `w`, as each miner and the validator compute it. */
function assignmentsOf(setup: ParitySetup, window: number): Map<number, Assignment> {
  const h = setup.hyperparameters;
  return windowAssignments({
    window,
    uids: Array.from({ length: setup.miners }, (_, uid) => uid),
    hyperparameters: h,
    trainPageCount: setup.corpus.trainPageCount,
    startBlockHash: parityBlockHash(h.runSeed, startBlockOfWindow({ ...timingOf(h), window })),
  });
}

/** A miner's batches for its assignment, as `trainUpdate` (and the miner) builds them. */
function batchesOf(setup: ParitySetup, pages: readonly number[]): TokenBatch[] {
  const { corpus, hyperparameters: h } = setup;
  return buildBatches({ pages: pages.map((page) => corpus.getPage(page)), batchSize: h.batchSize });
}

/** The run's hyperparameters with window `w`'s inner learning rate. */
function ofWindow(setup: ParitySetup, h: Hyperparameters, window: number): Hyperparameters {
  const factor = setup.learningRateFactor?.(window) ?? 1;
  return factor === 1 ? h : { ...h, innerLearningRate: h.innerLearningRate * factor };
}

/** Multiplies an error-feedback buffer by the setup's decay β, in place. */
function decayFeedback(setup: ParitySetup, buffer: Float32Array): void {
  const beta = setup.errorFeedbackDecay ?? 1;
  if (beta !== 1) for (let i = 0; i < buffer.length; i++) buffer[i] = buffer[i]! * beta;
}

async function measure(setup: ParitySetup, model: Model, run: ParityRunName, window: number) {
  const loss = await meanLoss({ model, batches: setup.heldOut });
  setup.onWindow?.({ run, window, loss });
  return loss;
}

/** `protocol` (the run's hyperparameters) and `diloco` (dense float32, no clipping). */
async function runDiloco(setup: ParitySetup, run: 'protocol' | 'diloco'): Promise<ParityRunResult> {
  const { corpus, modelConfig: config, windows } = setup;
  const protocol = run === 'protocol';
  const h = protocol
    ? setup.hyperparameters
    : parseHyperparameters({
        ...setup.hyperparameters,
        shards: 1,
        quantBits: 32,
        topK: setup.hyperparameters.chunkSize,
      });
  const timing = timingOf(h);
  const net = createParityChain({ timing, runSeed: h.runSeed });
  const sync = createModelSync({
    chain: net.chain,
    router: net.router,
    hyperparameters: h,
    modelConfig: config,
  });
  let theta = sync.parameters;
  const model = createModel({ config, parameters: theta });
  const count = model.parameterCount;
  // Per miner and shard: the error-feedback buffer the miner carries from window to window.
  // Every honest update enters the aggregate here, so the post-send buffer always stands.
  const buffers = new Map<string, Float32Array>();
  const shardLength = (shard: number) =>
    shardRange({ parameterCount: count, shards: h.shards, shard }).length;
  const referenceFeedback = Array.from(
    { length: h.shards },
    (_, shard) => new Float32Array(shardLength(shard)),
  );
  // Per miner, and `reference` for the validator: the AdamW kept across windows, when asked.
  const optimizers = new Map<number | 'reference', AdamW>();
  const optimizerOf = (owner: number | 'reference'): AdamW | undefined => {
    if (setup.keepInnerState !== true) return undefined;
    let optimizer = optimizers.get(owner);
    if (optimizer === undefined) {
      optimizer = adamWOf(model, h);
      optimizers.set(owner, optimizer);
    }
    return optimizer;
  };
  const secret = keccak_256(new TextEncoder().encode(`${h.runSeed} validator secret`));
  const tokensAt = [0];
  let tokens = 0;
  let bytesSent = 0;
  let updates = 0;
  let covered = 0;
  try {
    const heldOutLoss = [await measure(setup, model, run, 0)];
    for (let w = 0; w < windows; w++) {
      const thetaHash = sync.hash;
      const assignments = assignmentsOf(setup, w);
      const sent = new Map<number, { bytes: Uint8Array; shard: number }>();
      for (const [uid, assignment] of assignments) {
        // The same pages in every run; dense updates cover the whole model.
        const shard = protocol ? assignment.shard : 0;
        const key = `${uid}:${shard}`;
        const errorFeedback = buffers.get(key) ?? new Float32Array(shardLength(shard));
        buffers.set(key, errorFeedback);
        decayFeedback(setup, errorFeedback);
        const bytes = await trainUpdate({
          model,
          theta,
          corpus,
          hyperparameters: ofWindow(setup, h, w),
          pages: assignment.pages,
          window: w,
          shard,
          errorFeedback,
          optimizer: optimizerOf(uid),
        });
        tokens += trainedTokens({ batches: batchesOf(setup, assignment.pages), steps: h.innerSteps });
        bytesSent += bytes.length;
        covered += shardLength(shard);
        updates++;
        sent.set(uid, { bytes, shard });
        net.commit({ uid, window: w, digest: digestUpdate(bytes), modelHash: thetaHash }, bytes);
      }
      tokensAt.push(tokens);
      const members: AggregateMember[] = [...sent].map(([uid, { bytes, shard }]) => ({
        uid,
        ...(protocol
          ? decodeWindowUpdate({ bytes, window: w, shard, parameterCount: count, hyperparameters: h })
          : decodeUpdate({ bytes })),
      }));
      if (protocol) {
        const deadline = deadlineOfWindow({ ...timing, window: w });
        const pages = drawEvaluationPages({
          evalSeed: deriveEvalSeed({ secret, window: w, deadlineBlockHash: net.blockHash(deadline) }),
          trainPageCount: corpus.trainPageCount,
          unseenCount: h.evalPages,
          referenceCount: h.pagesPerWindow,
          assignedPages: [...assignments.values()].flatMap((a) => a.pages),
        });
        for (const buffer of referenceFeedback) decayFeedback(setup, buffer);
        const reference = await trainReferenceUpdate({
          model,
          theta,
          corpus,
          hyperparameters: ofWindow(setup, h, w),
          pages: pages.reference,
          errorFeedback: referenceFeedback,
          optimizer: optimizerOf('reference'),
        });
        // As the validator: ρ per shard from its reference update, the aggregate clips at the largest.
        const normBound = Math.fround(
          Math.max(...reference.shards.map((part) => Math.fround(Math.max(part.norm, minimumNormBound)))),
        );
        const next = aggregateUpdates({
          base: theta,
          updates: members,
          learningRate: h.outerLearningRate,
          normBound,
        });
        net.publishAggregate({
          window: w,
          uids: members.map((member) => member.uid),
          modelHash: modelHash({ parameters: next }),
          normBound,
        });
        // Every node's model: replayed from the chain and the stores, checked against the hash.
        await sync.advanceTo({ window: w + 1 });
        theta = sync.parameters;
      } else {
        theta = aggregateUpdates({ base: theta, updates: members, learningRate: h.outerLearningRate });
      }
      setParameters({ model, parameters: theta });
      heldOutLoss.push(await measure(setup, model, run, w + 1));
    }
    // A dense update sends every entry as float32 and needs no indices: 4 bytes a parameter.
    const bytesPerUpdate = protocol ? bytesSent / updates : 4 * count;
    return {
      heldOutLoss,
      tokens,
      tokensAt,
      bytesPerUpdate,
      bytesPerWindow: bytesPerUpdate,
      ratioVsFp32: protocol ? (4 * covered) / bytesSent : 1,
    };
  } finally {
    for (const optimizer of optimizers.values()) optimizer.dispose();
    model.dispose();
  }
}

/** An AdamW over the model's variables, decaying what its layout says, at the run's weight decay. */
function adamWOf(model: Model, h: Hyperparameters): AdamW {
  return createAdamW({
    variables: model.variables,
    decay: model.layout.map((spec) => spec.decay),
    weightDecay: h.weightDecay,
  });
}

/** `ddp` and `single`: one model and one AdamW kept for the whole run. */
async function runAdamW(setup: ParitySetup, run: 'ddp' | 'single'): Promise<ParityRunResult> {
  const { hyperparameters: h, modelConfig: config, corpus, windows } = setup;
  const model = createModel({ config, parameters: initParameters({ config, seed: BigInt(h.runSeed) }) });
  let optimizer: AdamW | undefined;
  const tokensAt = [0];
  let tokens = 0;
  try {
    optimizer = adamWOf(model, h);
    const train = async (batches: TokenBatch[], steps: number, window: number) => {
      await trainInnerSteps({
        model,
        batches,
        steps,
        learningRate: ofWindow(setup, h, window).innerLearningRate,
        weightDecay: h.weightDecay,
        optimizer,
      });
      tokens += trainedTokens({ batches, steps });
    };
    const fresh = run === 'single' ? freshPagesOf(setup) : undefined;
    const heldOutLoss = [await measure(setup, model, run, 0)];
    for (let w = 0; w < windows; w++) {
      const assignments = [...assignmentsOf(setup, w).values()];
      // Worker j's step s is on its batch s % L, as each miner's would be.
      const perWorker = assignments.map(({ pages }) => batchesOf(setup, pages));
      if (fresh !== undefined) {
        // Every worker's step s, one after another, then step s + 1, each on as many rows as
        // that worker's batch, every row a page not trained on before.
        const steps = Array.from({ length: h.innerSteps }, (_, s) =>
          perWorker.map((batches) => {
            const rows = batches[s % batches.length]!.batchSize;
            return batchesOf(setup, fresh.splice(0, rows))[0]!;
          }),
        ).flat();
        await train(steps, steps.length, w);
      } else {
        // The all-reduced step s is one step on every worker's batch s at once.
        const together = perWorker[0]!.map(
          (_, k) =>
            buildBatches({
              pages: assignments.flatMap(({ pages }) =>
                pages.slice(k * h.batchSize, (k + 1) * h.batchSize).map((page) => corpus.getPage(page)),
              ),
              batchSize: perWorker.reduce((rows, batches) => rows + batches[k]!.batchSize, 0),
            })[0]!,
        );
        await train(together, h.innerSteps, w);
      }
      tokensAt.push(tokens);
      heldOutLoss.push(await measure(setup, model, run, w + 1));
    }
    const fp32 = 4 * model.parameterCount;
    return {
      heldOutLoss,
      tokens,
      tokensAt,
      bytesPerUpdate: run === 'ddp' ? fp32 : 0,
      bytesPerWindow: run === 'ddp' ? fp32 * h.innerSteps : 0,
      ratioVsFp32: run === 'ddp' ? 1 : undefined,
    };
  } finally {
    optimizer?.dispose();
    model.dispose();
  }
}

/**
 * The `single` trainer's pages for the whole run: as many distinct training pages as the
 * miners' steps hold rows (`randomPages`, seeded from the run seed), in the order it trains
 * on them.
 */
function freshPagesOf(setup: ParitySetup): number[] {
  const { corpus, hyperparameters: h, miners, windows } = setup;
  const window = buildBatches({
    pages: Array.from({ length: h.pagesPerWindow }, () => new Int32Array(2)),
    batchSize: h.batchSize,
  });
  let rows = 0;
  for (let s = 0; s < h.innerSteps; s++) rows += window[s % window.length]!.batchSize;
  const count = rows * miners * windows;
  if (count > corpus.trainPageCount) {
    throw new Error(
      `parity: the single trainer needs ${count} fresh pages, the training split has ${corpus.trainPageCount}; run fewer windows or miners.`,
    );
  }
  return randomPages({
    seed: keccak_256(new TextEncoder().encode(`${h.runSeed} single trainer pages`)),
    count,
    pageCount: corpus.trainPageCount,
  });
}
