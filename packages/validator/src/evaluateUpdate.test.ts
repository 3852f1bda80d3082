import {
  assignWork,
  compressUpdate,
  createModel,
  createRandom,
  decodeUpdate,
  digestUpdate,
  encodeUpdate,
  hyperparameterPresets,
  initParameters,
  l2Norm,
  modelHash,
  modelPresets,
  parseHyperparameters,
  selectBackend,
  silentLogger,
} from '@tessera/core';
import type { Assignment, Corpus, Model } from '@tessera/core';
import { testCorpus } from './_test/testCorpus.js';
import { trainUpdate } from './_test/trainUpdate.js';
import { ValidatorError } from './errors/validator.js';
import { drawEvaluationPages } from './drawEvaluationPages.js';
import { evaluateUpdate } from './evaluateUpdate.js';
import type { EvaluateUpdateParameters } from './evaluateUpdate.js';

const hyperparameters = hyperparameterPresets.tiny;
const config = modelPresets.tiny;
const window = 3;
const blockHash = `0x${'b1'.repeat(32)}` as const;

let corpus: Corpus;
let model: Model;
let theta: Float32Array;
let thetaHash: `0x${string}`;
let assignment: Assignment;
let other: Assignment;
let honest: Uint8Array;
let unseenPages: number[];
let normBound: number;
let foreign: Uint8Array;

const assign = (uid: number) =>
  assignWork({
    runSeed: hyperparameters.runSeed,
    window,
    uid,
    blockHash,
    trainPageCount: corpus.trainPageCount,
    pagesPerWindow: hyperparameters.pagesPerWindow,
  });

beforeAll(async () => {
  await selectBackend({ preferred: 'wasm', strict: true, logger: silentLogger, env: {} });
  corpus = await testCorpus({ pageTokens: hyperparameters.pageTokens });
  model = createModel({ config, seed: 1n });
  theta = initParameters({ config, seed: BigInt(hyperparameters.runSeed) });
  thetaHash = modelHash({ parameters: theta });
  assignment = assign(1);
  other = assign(2);
  const train = (pages: number[]) => trainUpdate({ model, theta, corpus, hyperparameters, pages, window });
  honest = await train(assignment.pages);
  foreign = await train(other.pages);
  unseenPages = drawEvaluationPages({
    evalSeed: `0x${'5e'.repeat(32)}`,
    trainPageCount: corpus.trainPageCount,
    unseenCount: hyperparameters.evalPages,
    referenceCount: 1,
    assignedPages: [...assignment.pages, ...other.pages],
  }).unseen;
  // The honest update's own norm: these cases score updates as sent.
  normBound = l2Norm(decodeUpdate({ bytes: honest }).values) * 2;
});
afterAll(() => model.dispose());

const evaluate = (bytes: Uint8Array, overrides: Partial<EvaluateUpdateParameters> = {}) =>
  evaluateUpdate({
    model,
    theta,
    corpus,
    hyperparameters,
    commitment: { uid: 1, window, digest: digestUpdate(bytes), modelHash: thetaHash },
    bytes,
    assignment,
    unseenPages,
    normBound,
    ...overrides,
  });

/** `delta` as one whole-model update of this window, compressed as a miner would. */
function singleShardUpdate(delta: Float32Array): Uint8Array {
  const compressed = compressUpdate({
    delta,
    errorFeedback: new Float32Array(delta.length),
    chunkSize: hyperparameters.chunkSize,
    topK: hyperparameters.topK,
    bits: hyperparameters.quantBits,
  });
  return encodeUpdate({ ...compressed, window, parameterCount: delta.length, shards: 1, shard: 0 });
}

describe('evaluateUpdate', () => {
  it('scores an honest update above zero, its own pages improving far more than unseen ones', async () => {
    const result = await evaluate(honest);
    expect(result.status).toBe('scored');
    expect(result.reason).toBeUndefined();
    expect(result.clip).toBe(1);
    const losses = result.losses!;
    const own = losses.own.before - losses.own.after;
    const unseen = losses.unseen.before - losses.unseen.after;
    expect(result.score).toBe(unseen);
    expect(result.score).toBeGreaterThan(0);
    expect(own - unseen).toBeGreaterThan(hyperparameters.proofMargin * Math.abs(unseen));
  });

  it('scores an update scaled past the norm bound as the update at the bound: magnitude buys nothing', async () => {
    const raw = parseHyperparameters({ ...hyperparameters, quantBits: 32 });
    const decoded = decodeUpdate({ bytes: honest });
    const reencode = (factor: number) => {
      const delta = new Float32Array(model.parameterCount);
      decoded.indices.forEach((index, t) => (delta[index] = decoded.values[t]! * factor));
      const compressed = compressUpdate({
        delta,
        errorFeedback: new Float32Array(delta.length),
        chunkSize: raw.chunkSize,
        topK: raw.topK,
        bits: 32,
      });
      return encodeUpdate({
        ...compressed,
        window,
        parameterCount: model.parameterCount,
        shards: 1,
        shard: 0,
      });
    };
    const bound = Math.fround(l2Norm(decoded.values));
    const plain = await evaluate(reencode(1), { hyperparameters: raw, normBound: bound });
    const louder = await evaluate(reencode(4), { hyperparameters: raw, normBound: bound });
    expect(plain.status).toBe('scored');
    expect(louder.status).toBe('scored');
    expect(louder.clip).toBeCloseTo(0.25, 6);
    expect(louder.norm).toBeCloseTo(4 * plain.norm!, 3);
    expect(louder.score).toBeCloseTo(plain.score, 5);
    // Below its own norm the bound shrinks the step, and with it the score.
    const smaller = await evaluate(reencode(1), { hyperparameters: raw, normBound: bound / 4 });
    expect(smaller.score).toBeLessThan(plain.score);
  });

  it('rejects an update trained on pages other than the assigned ones as not-assigned', async () => {
    const result = await evaluate(foreign);
    expect(result).toMatchObject({ status: 'rejected', reason: 'not-assigned', score: 0 });
    // The same bytes pass for the miner whose pages they were trained on.
    const owner = await evaluate(foreign, {
      assignment: other,
      commitment: { uid: 2, window, digest: digestUpdate(foreign), modelHash: thetaHash },
    });
    expect(owner.status).toBe('scored');
  });

  it('gives random noise a score of 0', async () => {
    const random = createRandom({ seed: 12345 });
    const delta = Float32Array.from({ length: model.parameterCount }, () => (random.next() - 0.5) * 2);
    const noise = singleShardUpdate(delta);
    const result = await evaluate(noise);
    // Noise does not favour the miner's own pages over unseen ones, so it fails the proof
    // of assignment whatever it happens to do to the unseen loss at the scoring step.
    expect(result).toMatchObject({ status: 'rejected', reason: 'not-assigned', score: 0 });
  });

  it('rejects bytes whose keccak256 is not the committed digest', async () => {
    const result = await evaluate(honest, {
      commitment: { uid: 1, window, digest: digestUpdate(foreign), modelHash: thetaHash },
    });
    expect(result).toEqual({ status: 'rejected', reason: 'digest-mismatch', score: 0 });
  });

  it('rejects malformed bytes with the decoder reason, the committed digest matching them', async () => {
    const truncated = honest.subarray(0, honest.length - 3);
    expect(await evaluate(truncated)).toEqual({
      status: 'rejected',
      reason: 'malformed:truncated',
      score: 0,
    });
    const garbage = new TextEncoder().encode('not an update at all');
    expect(await evaluate(garbage)).toEqual({ status: 'rejected', reason: 'malformed:bad-magic', score: 0 });
  });

  it('rejects an update for another window or another shard', async () => {
    expect(
      await evaluate(honest, {
        commitment: { uid: 1, window: window + 1, digest: digestUpdate(honest), modelHash: thetaHash },
      }),
    ).toMatchObject({ reason: 'malformed:wrong-window' });
    const sharded = parseHyperparameters({ ...hyperparameters, shards: 2 });
    expect(
      await evaluate(honest, { hyperparameters: sharded, assignment: { pages: assignment.pages, shard: 1 } }),
    ).toMatchObject({ reason: 'malformed:wrong-shards' });
    const shardZero = await trainUpdate({
      model,
      theta,
      corpus,
      hyperparameters: sharded,
      pages: assignment.pages,
      window,
      shard: 0,
    });
    expect(
      await evaluate(shardZero, {
        hyperparameters: sharded,
        assignment: { pages: assignment.pages, shard: 1 },
      }),
    ).toEqual({ status: 'rejected', reason: 'malformed:wrong-shard', score: 0 });
  });

  it('rejects an update trained from another model as out-of-sync', async () => {
    const result = await evaluate(honest, {
      commitment: { uid: 1, window, digest: digestUpdate(honest), modelHash: `0x${'ee'.repeat(32)}` },
    });
    expect(result).toEqual({ status: 'rejected', reason: 'out-of-sync', score: 0 });
  });

  it('rejects an update that makes the loss non-finite as diverged, where the bound lets it', async () => {
    const delta = new Float32Array(model.parameterCount).fill(3e38);
    const huge = singleShardUpdate(delta);
    expect(await evaluate(huge, { normBound: 3e38 })).toMatchObject({
      status: 'rejected',
      reason: 'diverged',
      score: 0,
    });
    // At the window's bound the same bytes are a small step in a poor direction.
    const bounded = await evaluate(huge);
    expect(bounded.reason).not.toBe('diverged');
    expect(bounded.clip).toBeLessThan(1e-30);
    expect(bounded.score).toBeLessThan(1e-3);
  });

  it('reuses the loss cache for θ_w and gets the same verdict', async () => {
    const lossCache = new Map<string, number>();
    const first = await evaluate(honest, { lossCache });
    expect(lossCache.size).toBe(2);
    const second = await evaluate(honest, { lossCache });
    expect(second).toEqual(first);
  });

  it('throws for inputs that do not fit together, never blaming the miner', async () => {
    await expect(evaluate(honest, { theta: theta.subarray(1) })).rejects.toBeInstanceOf(ValidatorError);
    await expect(
      evaluate(honest, { hyperparameters: parseHyperparameters({ ...hyperparameters, pageTokens: 32 }) }),
    ).rejects.toMatchObject({ reason: 'invalid-parameter' });
  });
});
