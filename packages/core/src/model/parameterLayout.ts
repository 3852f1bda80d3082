import type { ModelConfig } from './modelConfig.js';

/** How a parameter starts: all ones, all zeros, or small random values of a given scale. */
export type ParameterInit = { kind: 'ones' } | { kind: 'zeros' } | { kind: 'random'; std: number };

/** One named parameter tensor and where it sits in the flat parameter vector. */
export type ParameterSpec = {
  /** Stable name, e.g. `tok_emb`, `h.0.attn.wq`, `ln_f.g`. */
  readonly name: string;
  /** Tensor shape; matrices are `[in, out]` and multiply as `x @ w`. */
  readonly shape: readonly number[];
  /** First index of this parameter in the flat vector. */
  readonly offset: number;
  /** Number of entries (product of `shape`). */
  readonly size: number;
  /** Whether AdamW's weight decay applies (matrices and embeddings, not gains or biases). */
  readonly decay: boolean;
  /** Initial values. */
  readonly init: ParameterInit;
};

/** Parameters of {@link parameterLayout}. */
export type ParameterLayoutParameters = {
  config: ModelConfig;
};

/**
 * Lists a model's parameters in the fixed order every machine flattens them in.
 *
 * The order, which `getParameters`, `setParameters`, `modelHash`, checkpoints and update
 * shards all rely on:
 *
 * 1. `tok_emb` `[vocabSize, dModel]`
 * 2. `pos_emb` `[contextLength, dModel]`
 * 3. for each block `i` from 0: `h.i.ln1.g`, `h.i.ln1.b` `[dModel]`; `h.i.attn.wq`, `h.i.attn.wk`,
 *    `h.i.attn.wv`, `h.i.attn.wo` `[dModel, dModel]`; `h.i.ln2.g`, `h.i.ln2.b` `[dModel]`;
 *    `h.i.mlp.w1` `[dModel, mlpHidden]`, `h.i.mlp.b1` `[mlpHidden]`, `h.i.mlp.w2`
 *    `[mlpHidden, dModel]`, `h.i.mlp.b2` `[dModel]`
 * 4. `ln_f.g`, `ln_f.b` `[dModel]`
 * 5. `lm_head` `[dModel, vocabSize]`, only when `tieEmbeddings` is false
 *
 * @returns The specs with their offsets; the last offset plus size is the parameter count.
 * @example
 * const specs = parameterLayout({ config: modelPresets.tiny });
 * specs[0]; // { name: 'tok_emb', shape: [512, 64], offset: 0, size: 32768, ... }
 */
export function parameterLayout(parameters: ParameterLayoutParameters): readonly ParameterSpec[] {
  const { config } = parameters;
  const { vocabSize: V, contextLength: T, dModel: D, mlpHidden: F, initStd: std } = config;
  const outputStd = std / Math.sqrt(2 * config.layers);
  const specs: ParameterSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], init: ParameterInit, decay: boolean) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push(Object.freeze({ name, shape: Object.freeze(shape), offset, size, decay, init }));
    offset += size;
  };
  const random = (s: number): ParameterInit => ({ kind: 'random', std: s });

  add('tok_emb', [V, D], random(std), true);
  add('pos_emb', [T, D], random(std), true);
  for (let i = 0; i < config.layers; i++) {
    add(`h.${i}.ln1.g`, [D], { kind: 'ones' }, false);
    add(`h.${i}.ln1.b`, [D], { kind: 'zeros' }, false);
    add(`h.${i}.attn.wq`, [D, D], random(std), true);
    add(`h.${i}.attn.wk`, [D, D], random(std), true);
    add(`h.${i}.attn.wv`, [D, D], random(std), true);
    add(`h.${i}.attn.wo`, [D, D], random(outputStd), true);
    add(`h.${i}.ln2.g`, [D], { kind: 'ones' }, false);
    add(`h.${i}.ln2.b`, [D], { kind: 'zeros' }, false);
    add(`h.${i}.mlp.w1`, [D, F], random(std), true);
    add(`h.${i}.mlp.b1`, [F], { kind: 'zeros' }, false);
    add(`h.${i}.mlp.w2`, [F, D], random(outputStd), true);
    add(`h.${i}.mlp.b2`, [D], { kind: 'zeros' }, false);
  }
  add('ln_f.g', [D], { kind: 'ones' }, false);
  add('ln_f.b', [D], { kind: 'zeros' }, false);
  if (!config.tieEmbeddings) add('lm_head', [D, V], random(std), true);
  return Object.freeze(specs);
}

/** Parameters of {@link parameterCount}. */
export type ParameterCountParameters = {
  config: ModelConfig;
};

/**
 * Counts a model's parameters: the length of its flat parameter vector.
 *
 * @example
 * parameterCount({ config: modelPresets.tiny }); // 136448
 */
export function parameterCount(parameters: ParameterCountParameters): number {
  const specs = parameterLayout(parameters);
  const last = specs[specs.length - 1];
  return last === undefined ? 0 : last.offset + last.size;
}
