import { ModelError } from '../errors/model.js';
import type { SafetensorsTensor } from './encodeSafetensors.js';
import type { ModelConfig } from './modelConfig.js';
import { parameterLayout } from './parameterLayout.js';

/** Parameters of {@link gpt2Tensors}. */
export type Gpt2TensorsParameters = {
  config: ModelConfig;
  /** The flat parameter vector in {@link parameterLayout} order. */
  parameters: Float32Array;
};

/**
 * The model's parameters under the names and layouts of Hugging Face's `GPT2LMHeadModel`
 * state dict (what its `save_pretrained` writes): `transformer.wte.weight` `[vocab, dModel]`,
 * `transformer.wpe.weight` `[contextLength, dModel]`, per block `transformer.h.i.` `ln_1`,
 * `attn.c_attn` (wq, wk and wv side by side, `[dModel, 3·dModel]`: GPT-2's `Conv1D` weights
 * are `[in, out]` and multiply as `x @ w`, like Tessera's), `attn.c_proj`, `ln_2`,
 * `mlp.c_fc`, `mlp.c_proj`, then `transformer.ln_f`, and `lm_head.weight` (`[vocab, dModel]`,
 * Tessera's `[dModel, vocab]` transposed) only when the embeddings are not tied. Tessera's
 * attention has no biases; GPT-2's are written as zeros, which computes the same function.
 * The test beside this file runs GPT-2's forward pass on these tensors and gets the model's
 * logits.
 *
 * @returns The tensors, in a fixed order (copies: safe to keep).
 * @throws ModelError `parameter-mismatch` for a vector of the wrong length.
 * @example
 * const bytes = encodeSafetensors({ tensors: gpt2Tensors({ config, parameters }) });
 */
export function gpt2Tensors(parameters: Gpt2TensorsParameters): SafetensorsTensor[] {
  const { config, parameters: flat } = parameters;
  const layout = parameterLayout({ config });
  const last = layout[layout.length - 1];
  if (last === undefined || flat.length !== last.offset + last.size) {
    throw new ModelError('parameter-mismatch', 'Parameter vector has the wrong length for this config.', {
      details: `${flat.length} values, config "${config.name}"`,
    });
  }
  const byName = new Map(layout.map((spec) => [spec.name, spec]));
  const get = (name: string) => {
    const spec = byName.get(name);
    if (spec === undefined) throw new ModelError('invalid-config', `No parameter ${name}.`);
    return flat.subarray(spec.offset, spec.offset + spec.size);
  };
  const { dModel: D, mlpHidden: F, vocabSize: V, contextLength: T } = config;
  const tensors: SafetensorsTensor[] = [
    { name: 'transformer.wte.weight', shape: [V, D], data: get('tok_emb').slice() },
    { name: 'transformer.wpe.weight', shape: [T, D], data: get('pos_emb').slice() },
  ];
  for (let i = 0; i < config.layers; i++) {
    const p = (name: string) => get(`h.${i}.${name}`);
    const [wq, wk, wv] = [p('attn.wq'), p('attn.wk'), p('attn.wv')];
    const cAttn = new Float32Array(D * 3 * D);
    for (let row = 0; row < D; row++) {
      cAttn.set(wq.subarray(row * D, row * D + D), row * 3 * D);
      cAttn.set(wk.subarray(row * D, row * D + D), row * 3 * D + D);
      cAttn.set(wv.subarray(row * D, row * D + D), row * 3 * D + 2 * D);
    }
    const h = `transformer.h.${i}`;
    tensors.push(
      { name: `${h}.ln_1.weight`, shape: [D], data: p('ln1.g').slice() },
      { name: `${h}.ln_1.bias`, shape: [D], data: p('ln1.b').slice() },
      { name: `${h}.attn.c_attn.weight`, shape: [D, 3 * D], data: cAttn },
      { name: `${h}.attn.c_attn.bias`, shape: [3 * D], data: new Float32Array(3 * D) },
      { name: `${h}.attn.c_proj.weight`, shape: [D, D], data: p('attn.wo').slice() },
      { name: `${h}.attn.c_proj.bias`, shape: [D], data: new Float32Array(D) },
      { name: `${h}.ln_2.weight`, shape: [D], data: p('ln2.g').slice() },
      { name: `${h}.ln_2.bias`, shape: [D], data: p('ln2.b').slice() },
      { name: `${h}.mlp.c_fc.weight`, shape: [D, F], data: p('mlp.w1').slice() },
      { name: `${h}.mlp.c_fc.bias`, shape: [F], data: p('mlp.b1').slice() },
      { name: `${h}.mlp.c_proj.weight`, shape: [F, D], data: p('mlp.w2').slice() },
      { name: `${h}.mlp.c_proj.bias`, shape: [D], data: p('mlp.b2').slice() },
    );
  }
  tensors.push(
    { name: 'transformer.ln_f.weight', shape: [D], data: get('ln_f.g').slice() },
    { name: 'transformer.ln_f.bias', shape: [D], data: get('ln_f.b').slice() },
  );
  if (!config.tieEmbeddings) {
    const head = get('lm_head'); // [D, V]
    const transposed = new Float32Array(V * D);
    for (let d = 0; d < D; d++) for (let v = 0; v < V; v++) transposed[v * D + d] = head[d * V + v] as number;
    tensors.push({ name: 'lm_head.weight', shape: [V, D], data: transposed });
  }
  return tensors;
}

/** Parameters of {@link gpt2Config}. */
export type Gpt2ConfigParameters = {
  config: ModelConfig;
  /** The end-of-text token, when the tokenizer has one (GPT-2's 50256). */
  endOfText?: number | undefined;
};

/**
 * A Hugging Face `config.json` for {@link gpt2Tensors}: GPT-2's field names (`n_embd`,
 * `n_layer`, `n_head`, `n_inner`, `n_positions`), tanh GELU (`gelu_new`, what Tessera's MLP
 * computes), no dropout.
 *
 * @example
 * await writeFile('config.json', JSON.stringify(gpt2Config({ config }), null, 2));
 */
export function gpt2Config(parameters: Gpt2ConfigParameters): Record<string, unknown> {
  const { config, endOfText } = parameters;
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: config.vocabSize,
    n_positions: config.contextLength,
    n_ctx: config.contextLength,
    n_embd: config.dModel,
    n_layer: config.layers,
    n_head: config.heads,
    n_inner: config.mlpHidden,
    activation_function: 'gelu_new',
    layer_norm_epsilon: config.layerNormEpsilon,
    initializer_range: config.initStd,
    tie_word_embeddings: config.tieEmbeddings,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    torch_dtype: 'float32',
    ...(endOfText === undefined ? {} : { bos_token_id: endOfText, eos_token_id: endOfText }),
    tessera_config_name: config.name,
  };
}
