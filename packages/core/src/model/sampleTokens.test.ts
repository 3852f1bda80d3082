import { silentLogger } from '../common/logger.js';
import { ModelError } from '../errors/model.js';
import { computeLogits } from './computeLogits.js';
import { createModel } from './createModel.js';
import type { Model } from './createModel.js';
import { modelPresets } from './modelPresets.js';
import { pickToken, sampleTokens } from './sampleTokens.js';
import { selectBackend } from './selectBackend.js';

let model: Model;
beforeAll(async () => {
  await selectBackend({ preferred: 'cpu', strict: true, logger: silentLogger, env: {} });
  model = createModel({ config: modelPresets.tiny, seed: 4n });
});
afterAll(() => model.dispose());

/** Greedy decoding written out with computeLogits and a plain arg-max, lower id on ties. */
async function greedy(prompt: number[], count: number): Promise<number[]> {
  const context = [...prompt];
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const window = Int32Array.from(context.slice(-model.config.contextLength));
    const logits = computeLogits({
      model,
      batch: { tokens: window, batchSize: 1, rowLength: window.length },
    });
    const all = await logits.data();
    logits.dispose();
    const last = all.subarray((window.length - 1) * model.config.vocabSize);
    let best = 0;
    for (let v = 1; v < last.length; v++) if ((last[v] as number) > (last[best] as number)) best = v;
    out.push(best);
    context.push(best);
  }
  return out;
}

describe('sampleTokens', () => {
  const prompt = [72, 101, 108, 108, 111];

  it('gives the same tokens for the same seed, and others for another seed', async () => {
    const a = await sampleTokens({ model, prompt, maxTokens: 12, seed: 7, temperature: 1.5, topK: 0 });
    const b = await sampleTokens({ model, prompt, maxTokens: 12, seed: 7, temperature: 1.5, topK: 0 });
    const c = await sampleTokens({ model, prompt, maxTokens: 12, seed: 8, temperature: 1.5, topK: 0 });
    expect(a.tokens).toHaveLength(12);
    expect(a.stopped).toBe(false);
    expect(b.tokens).toEqual(a.tokens);
    expect(c.tokens).not.toEqual(a.tokens);
  });

  it('with top-k 1, and at temperature 0, is greedy arg-max decoding whatever the seed', async () => {
    const expected = await greedy(prompt, 6);
    for (const seed of [1, 2]) {
      expect(Array.from((await sampleTokens({ model, prompt, maxTokens: 6, topK: 1, seed })).tokens)).toEqual(
        expected,
      );
    }
    expect(Array.from((await sampleTokens({ model, prompt, maxTokens: 6, temperature: 0 })).tokens)).toEqual(
      expected,
    );
  });

  it('reads only the last contextLength tokens of a long prompt', async () => {
    const long = Array.from({ length: 100 }, (_, i) => (i * 7) % 512);
    const { tokens } = await sampleTokens({ model, prompt: long, maxTokens: 2, topK: 1 });
    expect(Array.from(tokens)).toEqual(await greedy(long.slice(-64), 2));
  });

  it('stops at the stop token and leaves it out', async () => {
    const [first] = await greedy(prompt, 1);
    const result = await sampleTokens({ model, prompt, maxTokens: 5, topK: 1, stopToken: first });
    expect(result).toEqual({ tokens: new Int32Array(0), stopped: true });
  });

  it.each([
    ['maxTokens', { maxTokens: -1 }],
    ['maxTokens', { maxTokens: 1.5 }],
    ['maxTokens', { maxTokens: 70_000 }],
    ['temperature', { temperature: -0.1 }],
    ['temperature', { temperature: Number.NaN }],
    ['topK', { topK: -1 }],
    ['topK', { topK: 2.5 }],
    ['seed', { seed: -1 }],
    ['stop token', { stopToken: 512 }],
    ['prompt', { prompt: [] }],
    ['prompt', { prompt: [0, 512] }],
    ['prompt', { prompt: [0.5] }],
  ])('refuses a bad %s (%j)', async (_, bad) => {
    await expect(sampleTokens({ model, prompt, maxTokens: 1, ...bad })).rejects.toThrow(ModelError);
  });
});

describe('pickToken', () => {
  const logits = Float32Array.of(0, Math.log(3), 0, -Infinity);

  it('draws along the cumulative probability, most likely first', () => {
    // Probabilities 0.6 (id 1), then 0.2 (id 0), 0.2 (id 2), 0 (id 3).
    expect(pickToken({ logits, temperature: 1, topK: 0, draw: 0.59 })).toBe(1);
    expect(pickToken({ logits, temperature: 1, topK: 0, draw: 0.61 })).toBe(0);
    expect(pickToken({ logits, temperature: 1, topK: 0, draw: 0.81 })).toBe(2);
    expect(pickToken({ logits, temperature: 1, topK: 2, draw: 0.99 })).toBe(0);
    expect(pickToken({ logits, temperature: 0, topK: 0, draw: 0.99 })).toBe(1);
  });

  it('breaks ties towards the lower id', () => {
    expect(pickToken({ logits: Float32Array.of(1, 2, 2), temperature: 0, topK: 0, draw: 0 })).toBe(1);
  });
});
