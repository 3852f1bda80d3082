import { parseSafetensors } from '../_test/parseSafetensors.js';
import type { ParsedTensor } from '../_test/parseSafetensors.js';
import { silentLogger } from '../common/logger.js';
import { createGpt2Tokenizer } from '../data/createGpt2Tokenizer.js';
import { createTokenizer } from '../data/createTokenizer.js';
import { ModelError } from '../errors/model.js';
import { computeLogits } from './computeLogits.js';
import { createModel } from './createModel.js';
import { exportModel } from './exportModel.js';
import { gpt2Tensors } from './gpt2Tensors.js';
import { initParameters } from './initParameters.js';
import type { ModelConfig } from './modelConfig.js';
import { parseModelConfig } from './modelConfig.js';
import { modelHash } from './modelHash.js';
import { parameterCount } from './parameterLayout.js';
import { selectBackend } from './selectBackend.js';

// 256 "he", 257 "hel" (he + l), 258 " t", 259 "el", 260 "hel" again (h + el).
const merges = [
  [104, 101],
  [256, 108],
  [32, 116],
  [101, 108],
  [104, 259],
] as const;
const tokenizer = createTokenizer({ merges });

const configOf = (tieEmbeddings: boolean, vocabSize = tokenizer.vocabSize): ModelConfig =>
  parseModelConfig({
    config: {
      name: 'test',
      vocabSize,
      contextLength: 8,
      dModel: 8,
      layers: 2,
      heads: 2,
      mlpHidden: 16,
      tieEmbeddings,
      layerNormEpsilon: 1e-5,
      initStd: 0.2,
    },
  });

/** Gives the zero biases and unit gains of a fresh model some values, so a swapped tensor shows. */
function roughen(parameters: Float32Array): Float32Array {
  return parameters.map((v, i) => (v === 0 || v === 1 ? v + 0.1 * Math.sin(i) : v));
}

/**
 * GPT-2's forward pass as Hugging Face's `modeling_gpt2.py` computes it, on tensors looked
 * up by its state-dict names: `Conv1D` is `x @ weight + bias` with weight `[in, out]`,
 * `c_attn`'s output splits into q, k, v of `n_embd` each, heads are consecutive slices of
 * `n_embd / n_head`, scores scaled by `1/sqrt(head_dim)`, `gelu_new`, `lm_head` is
 * `x @ weightᵀ` (tied to `wte` when absent). Float64, one sequence.
 */
function gpt2Logits(tensors: Map<string, ParsedTensor>, config: ModelConfig, ids: number[]): number[][] {
  const t = (name: string) => {
    const tensor = tensors.get(name);
    if (!tensor) throw new Error(`missing ${name}`);
    return tensor;
  };
  const { dModel: D, heads: H, layerNormEpsilon: eps } = config;
  const Dh = D / H;
  const conv1d = (x: number[][], name: string) => {
    const w = t(`${name}.weight`);
    const b = t(`${name}.bias`);
    const [nIn, nOut] = w.shape as [number, number];
    return x.map((row) =>
      Array.from({ length: nOut }, (_, j) => {
        let s = b.data[j] as number;
        for (let i = 0; i < nIn; i++) s += (row[i] as number) * (w.data[i * nOut + j] as number);
        return s;
      }),
    );
  };
  const layerNorm = (x: number[][], name: string) =>
    x.map((row) => {
      const mean = row.reduce((a, b) => a + b, 0) / row.length;
      const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
      return row.map(
        (v, i) =>
          ((v - mean) / Math.sqrt(variance + eps)) * (t(`${name}.weight`).data[i] as number) +
          (t(`${name}.bias`).data[i] as number),
      );
    });
  const geluNew = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  const wte = t('transformer.wte.weight');
  const wpe = t('transformer.wpe.weight');
  let h = ids.map((id, pos) =>
    Array.from({ length: D }, (_, d) => (wte.data[id * D + d] as number) + (wpe.data[pos * D + d] as number)),
  );
  for (let layer = 0; layer < config.layers; layer++) {
    const p = `transformer.h.${layer}`;
    const qkv = conv1d(layerNorm(h, `${p}.ln_1`), `${p}.attn.c_attn`);
    const merged = qkv.map(() => new Array<number>(D).fill(0));
    for (let head = 0; head < H; head++) {
      for (let i = 0; i < ids.length; i++) {
        const scores = [];
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let d = 0; d < Dh; d++)
            s += (qkv[i]![head * Dh + d] as number) * (qkv[j]![D + head * Dh + d] as number);
          scores.push(s / Math.sqrt(Dh));
        }
        const top = Math.max(...scores);
        const weights = scores.map((s) => Math.exp(s - top));
        const total = weights.reduce((a, b) => a + b, 0);
        for (let d = 0; d < Dh; d++) {
          let s = 0;
          for (let j = 0; j <= i; j++)
            s += ((weights[j] as number) / total) * (qkv[j]![2 * D + head * Dh + d] as number);
          merged[i]![head * Dh + d] = s;
        }
      }
    }
    const attn = conv1d(merged, `${p}.attn.c_proj`);
    h = h.map((row, i) => row.map((v, d) => v + (attn[i]![d] as number)));
    const mlp = conv1d(
      conv1d(layerNorm(h, `${p}.ln_2`), `${p}.mlp.c_fc`).map((row) => row.map(geluNew)),
      `${p}.mlp.c_proj`,
    );
    h = h.map((row, i) => row.map((v, d) => v + (mlp[i]![d] as number)));
  }
  const out = layerNorm(h, 'transformer.ln_f');
  const head = tensors.get('lm_head.weight') ?? wte; // [vocab, D]
  const V = head.shape[0] as number;
  return out.map((row) =>
    Array.from({ length: V }, (_, v) => row.reduce((s, x, d) => s + x * (head.data[v * D + d] as number), 0)),
  );
}

beforeAll(async () => {
  await selectBackend({ preferred: 'cpu', strict: true, logger: silentLogger, env: {} });
});

describe('gpt2Tensors', () => {
  it.each([true, false])(
    "holds Hugging Face GPT-2's tensors: GPT-2's forward pass on them gives the model's logits (tied %s)",
    async (tied) => {
      const config = configOf(tied);
      const parameters = roughen(initParameters({ config, seed: 11n }));
      const { tensors } = parseSafetensors(
        exportModel({ config, parameters, tokenizer }).files['model.safetensors'] as Uint8Array,
      );
      // 2 embeddings, 12 per block, the final norm's 2, and the head when untied.
      expect(tensors.size).toBe(2 + 12 * config.layers + 2 + (tied ? 0 : 1));
      expect(tensors.get('transformer.h.1.attn.c_attn.weight')?.shape).toEqual([8, 24]);
      expect(tensors.get('transformer.h.0.mlp.c_fc.weight')?.shape).toEqual([8, 16]);
      expect(tensors.get('transformer.h.0.mlp.c_proj.weight')?.shape).toEqual([16, 8]);
      expect(tensors.has('lm_head.weight')).toBe(!tied);
      if (!tied) expect(tensors.get('lm_head.weight')?.shape).toEqual([config.vocabSize, 8]);
      // Every value of the vector is somewhere in the file (the zero attention biases added).
      const stored = [...tensors.values()].reduce((n, t) => n + t.data.length, 0);
      expect(stored).toBe(parameterCount({ config }) + config.layers * 4 * config.dModel);

      const ids = [104, 256, 32, 258, 260, 7, 101, 259];
      const model = createModel({ config, parameters });
      const logits = computeLogits({
        model,
        batch: { tokens: Int32Array.from(ids), batchSize: 1, rowLength: 8 },
      });
      const actual = Array.from(await logits.data());
      logits.dispose();
      model.dispose();
      const expected = gpt2Logits(tensors, config, ids).flat();
      expect(actual.length).toBe(expected.length);
      const worst = Math.max(...expected.map((e, i) => Math.abs(e - (actual[i] as number))));
      expect(worst).toBeLessThan(1e-4);
    },
  );

  it('refuses a vector of the wrong length', () => {
    expect(() => gpt2Tensors({ config: configOf(true), parameters: new Float32Array(3) })).toThrow(
      ModelError,
    );
  });
});

describe('exportModel', () => {
  const config = configOf(true);
  const parameters = initParameters({ config, seed: 2n });

  it('writes the safetensors with metadata, a GPT-2 config.json and the trained BPE as vocab.json and merges.txt', () => {
    const result = exportModel({ config, parameters, tokenizer, window: 12 });
    expect(Object.keys(result.files).sort()).toEqual(
      ['config.json', 'merges.txt', 'model.safetensors', 'tokenizer_config.json', 'vocab.json'].sort(),
    );
    expect(result.modelHash).toBe(modelHash({ parameters }));
    const { metadata } = parseSafetensors(result.files['model.safetensors'] as Uint8Array);
    expect(metadata).toEqual({
      format: 'pt',
      tessera_model_hash: result.modelHash,
      tessera_config: 'test',
      tessera_tokenizer_id: tokenizer.id,
      tessera_window: '12',
    });
    expect(JSON.parse(result.files['config.json'] as string)).toMatchObject({
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      vocab_size: tokenizer.vocabSize,
      n_positions: 8,
      n_embd: 8,
      n_layer: 2,
      n_head: 2,
      n_inner: 16,
      activation_function: 'gelu_new',
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: true,
    });

    // GPT-2's byte-to-unicode: space is 'Ġ', newline 'Ċ', byte 0 'Ā', printable ASCII itself.
    const vocab = JSON.parse(result.files['vocab.json'] as string) as Record<string, number>;
    expect(vocab).toMatchObject({ Ġ: 32, Ċ: 10, Ā: 0, a: 97, he: 256, hel: 257, Ġt: 258, el: 259 });
    // 260 spells "hel" like 257: the lower id keeps the string, and the export says so.
    expect(Object.keys(vocab)).toHaveLength(tokenizer.vocabSize - 1);
    expect(result.warnings).toEqual([expect.stringContaining('first: 260')]);
    expect(result.files['merges.txt']).toBe('#version: 0.2\nh e\nhe l\nĠ t\ne l\nh el\n');
  });

  it("names GPT-2's tokenizer and its end-of-text token for a GPT-2 vocabulary", () => {
    const gpt2 = createGpt2Tokenizer();
    const big = parseModelConfig({
      config: { ...configOf(true, gpt2.vocabSize), dModel: 2, heads: 1, mlpHidden: 4 },
    });
    const result = exportModel({
      config: big,
      parameters: initParameters({ config: big, seed: 1n }),
      tokenizer: gpt2,
    });
    expect(Object.keys(result.files).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer_config.json',
    ]);
    expect(JSON.parse(result.files['config.json'] as string)).toMatchObject({
      bos_token_id: 50256,
      eos_token_id: 50256,
    });
    expect(JSON.parse(result.files['tokenizer_config.json'] as string)).toMatchObject({
      tokenizer_class: 'GPT2Tokenizer',
      eos_token: '<|endoftext|>',
      tessera_tokenizer: 'gpt2',
    });
    expect(result.warnings).toEqual([]);
  });

  it("refuses a tokenizer whose vocabulary is not the model's, and a bad window", () => {
    const other = createTokenizer({ merges: [[104, 101]] });
    expect(() => exportModel({ config, parameters, tokenizer: other })).toThrow(ModelError);
    expect(() => exportModel({ config, parameters, tokenizer, window: -1 })).toThrow(ModelError);
    expect(() => exportModel({ config, parameters: new Float32Array(5), tokenizer })).toThrow(ModelError);
  });
});
