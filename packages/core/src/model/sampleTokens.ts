import { createRandom } from '../common/createRandom.js';
import { ModelError } from '../errors/model.js';
import { computeLogits } from './computeLogits.js';
import type { Model } from './createModel.js';
import { assertLiveModel } from './createModel.js';
import type { TextTokenizer } from '../data/createTokenizer.js';
import { tf } from './tfjs.js';

/** Most tokens one {@link sampleTokens} call generates. */
export const maxSampleTokens = 1 << 16;

/**
 * The token generation stops at for a tokenizer: GPT-2's end-of-text, none for Tessera's
 * trained BPE (it has no such token).
 *
 * @example
 * await sampleTokens({ model, prompt, maxTokens: 24, stopToken: stopTokenOf(tokenizer) });
 */
export function stopTokenOf(tokenizer: TextTokenizer): number | undefined {
  return 'endOfText' in tokenizer ? (tokenizer.endOfText as number) : undefined;
}

/** Parameters of {@link sampleTokens}. */
export type SampleTokensParameters = {
  model: Model;
  /** The prompt's token ids; at least one, each inside the vocabulary. */
  prompt: ArrayLike<number>;
  /** Most tokens to generate, 0 to {@link maxSampleTokens}. */
  maxTokens: number;
  /** Softmax temperature from 0 to 100; 0 always takes the most likely token. @default 1 */
  temperature?: number | undefined;
  /** Draw only among the `topK` most likely tokens; 0 for all. @default 40 */
  topK?: number | undefined;
  /** Seed of the draws: the same model, prompt and seed give the same tokens. @default 0 */
  seed?: number | undefined;
  /** Token that ends generation (GPT-2's end-of-text); it is not included in the output. */
  stopToken?: number | undefined;
};

/** What {@link sampleTokens} generated. */
export type SampleTokensResult = {
  /** The generated tokens, without the prompt and without the stop token. */
  tokens: Int32Array;
  /** True when generation ended at the stop token rather than at `maxTokens`. */
  stopped: boolean;
};

/**
 * Generates tokens from a model, one at a time: the model reads the last `contextLength`
 * tokens, and the next token is drawn from the softmax of its last logits divided by the
 * temperature, among the `topK` most likely (ties broken towards the lower id), with a
 * seeded generator, so a run is reproducible on the same backend.
 *
 * @returns The generated tokens and whether the stop token ended them.
 * @throws ModelError `invalid-parameter` for a bad count, temperature, top-k, seed, stop
 *   token or prompt; `non-finite` when the model's logits are NaN or infinite; `disposed`.
 * @example
 * const { tokens } = await sampleTokens({ model, prompt: tokenizer.encode('The jury'), maxTokens: 20, seed: 1 });
 * tokenizer.decode(tokens);
 */
export async function sampleTokens(parameters: SampleTokensParameters): Promise<SampleTokensResult> {
  const { model, maxTokens, stopToken } = parameters;
  const temperature = parameters.temperature ?? 1;
  const topK = parameters.topK ?? 40;
  const seed = parameters.seed ?? 0;
  assertLiveModel(model);
  const { vocabSize, contextLength } = model.config;
  const bad = (message: string, details: string): never => {
    throw new ModelError('invalid-parameter', message, { details });
  };
  if (!Number.isSafeInteger(maxTokens) || maxTokens < 0 || maxTokens > maxSampleTokens)
    bad(`maxTokens must be an integer from 0 to ${maxSampleTokens}.`, `maxTokens: ${maxTokens}`);
  if (
    typeof temperature !== 'number' ||
    !Number.isFinite(temperature) ||
    temperature < 0 ||
    temperature > 100
  )
    bad('temperature must be a number from 0 to 100.', `temperature: ${temperature}`);
  if (!Number.isSafeInteger(topK) || topK < 0) bad('topK must be a non-negative integer.', `topK: ${topK}`);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff)
    bad('seed must be an integer from 0 to 2^32 - 1.', `seed: ${seed}`);
  if (stopToken !== undefined && !(Number.isInteger(stopToken) && stopToken >= 0 && stopToken < vocabSize))
    bad('The stop token must be inside the vocabulary.', `stopToken: ${stopToken}, vocabSize ${vocabSize}`);
  if (
    parameters.prompt === null ||
    typeof parameters.prompt !== 'object' ||
    typeof parameters.prompt.length !== 'number'
  )
    bad('The prompt must be a list of token ids.', `prompt: ${typeof parameters.prompt}`);
  const context = Array.from(parameters.prompt);
  if (context.length === 0) bad('The prompt must hold at least one token.', 'an empty prompt');
  const outside = context.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
  if (outside !== -1)
    bad(
      'Prompt token outside the vocabulary.',
      `prompt[${outside}] = ${context[outside]}, vocabSize ${vocabSize}`,
    );

  const random = createRandom({ seed });
  const out: number[] = [];
  for (let step = 0; step < maxTokens; step++) {
    const window = Int32Array.from(context.slice(-contextLength));
    const logits = tf.tidy(() => {
      const all = computeLogits({ model, batch: { tokens: window, batchSize: 1, rowLength: window.length } });
      return tf.slice(all, [0, window.length - 1, 0], [1, 1, vocabSize]);
    });
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    if (!values.every(Number.isFinite)) {
      throw new ModelError('non-finite', 'The model produced non-finite logits.', {
        details: `at step ${step}`,
      });
    }
    const next = pickToken({ logits: values, temperature, topK, draw: random.next() });
    if (next === stopToken) return { tokens: Int32Array.from(out), stopped: true };
    out.push(next);
    context.push(next);
  }
  return { tokens: Int32Array.from(out), stopped: false };
}

/** Parameters of {@link pickToken}. */
export type PickTokenParameters = {
  /** Finite logits, one per token. */
  logits: Float32Array;
  temperature: number;
  /** 0 for all tokens. */
  topK: number;
  /** A uniform draw in [0, 1). */
  draw: number;
};

/**
 * One draw from logits: the arg-max at temperature 0 (or top-k 1), else the first token,
 * most likely first among the top `topK`, whose cumulative probability exceeds `draw`.
 * Ties go to the lower id.
 *
 * @returns The token id.
 * @example
 * pickToken({ logits: Float32Array.of(0, 3, 1), temperature: 0, topK: 0, draw: 0.5 }); // 1
 */
export function pickToken(parameters: PickTokenParameters): number {
  const { logits, temperature, topK, draw } = parameters;
  const order = Array.from(logits.keys()).sort(
    (a, b) => (logits[b] as number) - (logits[a] as number) || a - b,
  );
  if (temperature === 0 || topK === 1) return order[0] as number;
  const kept = topK === 0 ? order : order.slice(0, topK);
  const top = logits[kept[0] as number] as number;
  const weights = kept.map((id) => Math.exp(((logits[id] as number) - top) / temperature));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cumulative = 0;
  for (let i = 0; i < kept.length; i++) {
    cumulative += (weights[i] as number) / total;
    if (draw < cumulative) return kept[i] as number;
  }
  return kept[kept.length - 1] as number;
}
