import { silentLogger } from '../common/logger.js';
import { testCorpus } from '../_test/testCorpus.js';
import { rejectionOf } from '../_test/rejectionOf.js';
import { assignWork } from '../data/assignWork.js';
import { buildBatches } from '../data/buildBatches.js';
import type { TokenBatch } from '../data/buildBatches.js';
import type { Corpus } from '../data/createCorpus.js';
import { ModelError } from '../errors/model.js';
import { computeLogits } from './computeLogits.js';
import { createAdamW } from './createAdamW.js';
import { createModel } from './createModel.js';
import type { Model } from './createModel.js';
import { evaluateLoss } from './evaluateLoss.js';
import { getParameters } from './getParameters.js';
import { initParameters } from './initParameters.js';
import { modelHash } from './modelHash.js';
import { modelPresets } from './modelPresets.js';
import { selectBackend } from './selectBackend.js';
import { setParameters } from './setParameters.js';
import { tf } from './tfjs.js';
import { trainInnerSteps } from './trainInnerSteps.js';

const config = modelPresets.tiny;
const blockHash = `0x${'ab'.repeat(32)}` as const;
let corpus: Corpus;
let batches: TokenBatch[];
let heldOut: TokenBatch;
let model: Model;

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
  corpus = await testCorpus({ pageTokens: 32 });
  const { pages } = assignWork({
    runSeed: 1n,
    window: 0,
    uid: 0,
    blockHash,
    trainPageCount: corpus.trainPageCount,
    pagesPerWindow: 32,
  });
  batches = buildBatches({ pages: pages.map((page) => corpus.getPage(page)), batchSize: 8 });
  heldOut = buildBatches({
    pages: Array.from({ length: 16 }, (_, i) => corpus.getHeldOutPage(i * 100)),
    batchSize: 16,
  })[0]!;
});

beforeEach(() => {
  model = createModel({ config, seed: 1n });
});
afterEach(() => model.dispose());

describe('trainInnerSteps', () => {
  it('lowers the loss of a tiny model over 30 AdamW steps on real corpus pages, held-out pages included', async () => {
    const heldOutBefore = await evaluateLoss({ model, batch: heldOut });
    const steps: number[] = [];
    const { losses } = await trainInnerSteps({
      model,
      batches,
      steps: 30,
      learningRate: 3e-3,
      weightDecay: 0.1,
      onStep: ({ step }) => steps.push(step),
    });
    expect(steps).toEqual(Array.from({ length: 30 }, (_, i) => i));
    // Uniform guessing over 512 tokens costs ln 512 = 6.24 nats; θ_0 starts there.
    expect(losses[0]).toBeGreaterThan(6);
    const lastFive = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(lastFive).toBeLessThan(losses[0]! - 1.2);
    expect(await evaluateLoss({ model, batch: heldOut })).toBeLessThan(heldOutBefore - 0.4);
  });

  it('leaves no tensor behind: training, evaluation, logits and parameter copies', async () => {
    await trainInnerSteps({ model, batches, steps: 1, learningRate: 1e-3 }); // warm up kernels
    const before = tf.memory().numTensors;
    await trainInnerSteps({ model, batches, steps: 3, learningRate: 1e-3 });
    expect(tf.memory().numTensors).toBe(before);
    const optimizer = createAdamW({ variables: model.variables });
    await trainInnerSteps({ model, batches, steps: 2, learningRate: 1e-3, optimizer });
    expect(optimizer.stepCount).toBe(2);
    optimizer.dispose();
    await evaluateLoss({ model, batch: heldOut });
    computeLogits({ model, batch: { tokens: Int32Array.of(1, 2, 3), batchSize: 1, rowLength: 3 } }).dispose();
    setParameters({ model, parameters: getParameters({ model }) });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between steps when aborted and frees its optimizer', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let stepsTaken = 0;
    const onStep = () => {
      stepsTaken += 1;
      controller.abort();
    };
    const error = await rejectionOf(
      trainInnerSteps({ model, batches, steps: 10, learningRate: 1e-3, signal: controller.signal, onStep }),
    );
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(stepsTaken).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('parameters', () => {
  it('round-trips through getParameters and setParameters bit for bit', async () => {
    const theta0 = getParameters({ model });
    expect(modelHash({ parameters: theta0 })).toBe(
      modelHash({ parameters: initParameters({ config, seed: 1n }) }),
    );
    await trainInnerSteps({ model, batches, steps: 2, learningRate: 1e-2 });
    const trained = getParameters({ model });
    expect(modelHash({ parameters: trained })).not.toBe(modelHash({ parameters: theta0 }));
    setParameters({ model, parameters: theta0 });
    expect(modelHash({ parameters: getParameters({ model }) })).toBe(modelHash({ parameters: theta0 }));
    const copy = createModel({ config, parameters: trained });
    expect(await evaluateLoss({ model: copy, batch: heldOut })).toBe(
      await evaluateLoss({ model: copy, batch: heldOut }),
    );
    expect(modelHash({ parameters: getParameters({ model: copy }) })).toBe(
      modelHash({ parameters: trained }),
    );
    copy.dispose();
  });

  it('rejects a vector of the wrong length without changing anything', () => {
    const theta = getParameters({ model });
    const error = (() => {
      try {
        setParameters({ model, parameters: new Float32Array(theta.length - 1) });
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toMatchObject({ name: 'ModelError', reason: 'parameter-mismatch' });
    expect(modelHash({ parameters: getParameters({ model }) })).toBe(modelHash({ parameters: theta }));
    expect(() => createModel({ config, parameters: new Float32Array(3) })).toThrow(ModelError);
  });
});

describe('evaluateLoss and computeLogits', () => {
  it('gives logits of shape [batch, row, vocab] whose next-token cross-entropy is evaluateLoss', async () => {
    const batch = heldOut;
    const loss = await evaluateLoss({ model, batch });
    const T = batch.rowLength - 1;
    const inputs = new Int32Array(batch.batchSize * T);
    for (let b = 0; b < batch.batchSize; b++) {
      inputs.set(batch.tokens.subarray(b * batch.rowLength, b * batch.rowLength + T), b * T);
    }
    const logits = computeLogits({
      model,
      batch: { tokens: inputs, batchSize: batch.batchSize, rowLength: T },
    });
    expect(logits.shape).toEqual([batch.batchSize, T, config.vocabSize]);
    const values = logits.dataSync() as Float32Array;
    logits.dispose();
    let total = 0;
    for (let b = 0; b < batch.batchSize; b++) {
      for (let t = 0; t < T; t++) {
        const row = values.subarray((b * T + t) * config.vocabSize, (b * T + t + 1) * config.vocabSize);
        const max = Math.max(...row);
        const logSum = Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0)) + max;
        total += logSum - row[batch.tokens[b * batch.rowLength + t + 1]!]!;
      }
    }
    expect(loss).toBeCloseTo(total / (batch.batchSize * T), 4);
  });

  it('is causal: a later token does not change earlier logits', () => {
    const run = (tokens: number[]) => {
      const logits = computeLogits({
        model,
        batch: { tokens: Int32Array.from(tokens), batchSize: 1, rowLength: 4 },
      });
      const values = logits.dataSync().slice(0, 3 * config.vocabSize);
      logits.dispose();
      return values;
    };
    const a = run([5, 6, 7, 8]);
    const b = run([5, 6, 7, 300]);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('agrees between the wasm and cpu backends', async () => {
    const onWasm = await evaluateLoss({ model, batch: batches[0]! });
    await selectBackend({ preferred: 'cpu', strict: true, logger: silentLogger, env: {} });
    try {
      const onCpu = createModel({ config, seed: 1n });
      expect(await evaluateLoss({ model: onCpu, batch: batches[0]! })).toBeCloseTo(onWasm, 4);
      onCpu.dispose();
    } finally {
      await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
    }
  });

  it('rejects malformed batches', async () => {
    const bad = (batch: TokenBatch) => evaluateLoss({ model, batch });
    expect(
      await rejectionOf(bad({ tokens: Int32Array.of(1, 512), batchSize: 1, rowLength: 2 })),
    ).toMatchObject({
      reason: 'invalid-batch',
    });
    expect(
      await rejectionOf(bad({ tokens: Int32Array.of(1, 2, 3), batchSize: 1, rowLength: 2 })),
    ).toMatchObject({
      reason: 'invalid-batch',
    });
    expect(await rejectionOf(bad({ tokens: Int32Array.of(1), batchSize: 1, rowLength: 1 }))).toMatchObject({
      reason: 'invalid-batch',
    });
    const long = new Int32Array(config.contextLength + 2);
    expect(await rejectionOf(bad({ tokens: long, batchSize: 1, rowLength: long.length }))).toMatchObject({
      reason: 'invalid-batch',
    });
  });

  it('refuses a disposed model', async () => {
    const gone = createModel({ config, seed: 2n });
    gone.dispose();
    expect(await rejectionOf(evaluateLoss({ model: gone, batch: heldOut }))).toMatchObject({
      reason: 'disposed',
    });
    expect(() => getParameters({ model: gone })).toThrow(/disposed/);
  });
});
