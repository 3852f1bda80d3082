import type { Gpt2Tokenizer } from '../data/createGpt2Tokenizer.js';
import type { TextTokenizer, Tokenizer } from '../data/createTokenizer.js';
import { ModelError } from '../errors/model.js';
import { encodeSafetensors } from './encodeSafetensors.js';
import { gpt2Config, gpt2Tensors } from './gpt2Tensors.js';
import type { ModelConfig } from './modelConfig.js';
import { modelHash } from './modelHash.js';

/** Parameters of {@link exportModel}. */
export type ExportModelParameters = {
  config: ModelConfig;
  /** The flat parameter vector in `parameterLayout` order (a checkpoint's). */
  parameters: Float32Array;
  /** The tokenizer the model was trained with: the trained BPE (its merges are written) or GPT-2's. */
  tokenizer: TextTokenizer;
  /** The window of the checkpoint, recorded in the metadata. */
  window?: number | undefined;
};

/** What {@link exportModel} produced. */
export type ExportModelResult = {
  /** File name to content: `model.safetensors`, `config.json`, `tokenizer_config.json`, and for the trained BPE `vocab.json` and `merges.txt`. */
  files: Record<string, Uint8Array | string>;
  /** Tessera's hash of the parameters, also in the safetensors metadata. */
  modelHash: `0x${string}`;
  /** What a loader should know (trained-BPE tokens whose bytes another token already spells). */
  warnings: string[];
};

/**
 * Lays out a model as a Hugging Face GPT-2 folder: `model.safetensors` ({@link gpt2Tensors},
 * float32, with `format: pt`, the window and the Tessera model hash in its metadata),
 * `config.json` ({@link gpt2Config}) and the tokenizer: for GPT-2's BPE a
 * `tokenizer_config.json` naming it; for the trained BPE also `vocab.json` and `merges.txt`
 * in GPT-2's byte-to-unicode form. The weights are checked against GPT-2's forward pass in
 * the tests; the tokenizer files only for their format: the trained BPE's pre-tokenizer
 * splits letters as `[A-Za-z]`, GPT-2's as any letter, so non-ASCII text may split
 * differently. Writes nothing: the caller stores the files.
 *
 * @returns The files' contents by name, the model hash and warnings.
 * @throws ModelError `parameter-mismatch` for a vector of the wrong length, `invalid-parameter`
 *   when the tokenizer's vocabulary is not the model's or the window is not an integer.
 * @example
 * const { files } = exportModel({ config, parameters, tokenizer: corpus.tokenizer });
 * for (const [name, content] of Object.entries(files)) await writeFileAtomic({ path: join(dir, name), bytes: content });
 */
export function exportModel(parameters: ExportModelParameters): ExportModelResult {
  const { config, parameters: flat, tokenizer, window } = parameters;
  if (tokenizer.vocabSize !== config.vocabSize) {
    throw new ModelError('invalid-parameter', "The tokenizer's vocabulary is not the model's.", {
      details: `tokenizer ${tokenizer.vocabSize} tokens, model ${config.vocabSize}`,
      hint: 'Export with the tokenizer of the run that trained the model.',
    });
  }
  if (window !== undefined && !(Number.isSafeInteger(window) && window >= 0)) {
    throw new ModelError('invalid-parameter', 'The window must be a non-negative integer.', {
      details: `window: ${window}`,
    });
  }
  const tensors = gpt2Tensors({ config, parameters: flat });
  const hash = modelHash({ parameters: flat });
  const gpt2 = isGpt2(tokenizer) ? tokenizer : undefined;
  const metadata: Record<string, string> = {
    format: 'pt',
    tessera_model_hash: hash,
    tessera_config: config.name,
    tessera_tokenizer_id: tokenizer.id,
  };
  if (window !== undefined) metadata.tessera_window = String(window);
  const files: Record<string, Uint8Array | string> = {
    'model.safetensors': encodeSafetensors({ tensors, metadata }),
    'config.json': `${JSON.stringify(gpt2Config({ config, endOfText: gpt2?.endOfText }), null, 2)}\n`,
  };
  const tokenizerConfig: Record<string, unknown> = {
    tokenizer_class: 'GPT2Tokenizer',
    model_max_length: config.contextLength,
    add_prefix_space: false,
    tessera_tokenizer: gpt2 ? 'gpt2' : 'bpe',
    tessera_tokenizer_id: tokenizer.id,
  };
  const warnings: string[] = [];
  if (gpt2) {
    Object.assign(tokenizerConfig, {
      name_or_path: 'gpt2',
      bos_token: '<|endoftext|>',
      eos_token: '<|endoftext|>',
      unk_token: '<|endoftext|>',
    });
  } else if (isTrainedBpe(tokenizer)) {
    const { vocab, merges, duplicates } = gpt2VocabOf(tokenizer);
    files['vocab.json'] = `${JSON.stringify(vocab)}\n`;
    files['merges.txt'] = `#version: 0.2\n${merges.join('\n')}\n`;
    if (duplicates.length > 0) {
      warnings.push(
        `${duplicates.length} token(s) spell the same bytes as a lower id (first: ${duplicates[0]}); vocab.json maps those bytes to the lower id.`,
      );
    }
  } else {
    warnings.push('The tokenizer is neither GPT-2 nor a trained BPE: no vocabulary was written.');
  }
  files['tokenizer_config.json'] = `${JSON.stringify(tokenizerConfig, null, 2)}\n`;
  return { files, modelHash: hash, warnings };
}

function isGpt2(tokenizer: TextTokenizer): tokenizer is Gpt2Tokenizer {
  return 'name' in tokenizer && tokenizer.name === 'gpt2' && 'endOfText' in tokenizer;
}

function isTrainedBpe(tokenizer: TextTokenizer): tokenizer is Tokenizer {
  return 'merges' in tokenizer && Array.isArray(tokenizer.merges);
}

/**
 * GPT-2's map from bytes to printable characters (`bytes_to_unicode` in OpenAI's
 * `encoder.py`), so byte-level tokens can be JSON keys.
 * @internal
 */
export function byteToUnicode(): string[] {
  const printable = new Set<number>();
  for (let b = 33; b <= 126; b++) printable.add(b);
  for (let b = 161; b <= 172; b++) printable.add(b);
  for (let b = 174; b <= 255; b++) printable.add(b);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable.has(b) ? b : next++));
}

/** A trained tokenizer's vocabulary and merges as GPT-2's `vocab.json` and `merges.txt`. */
function gpt2VocabOf(tokenizer: Tokenizer): {
  vocab: Record<string, number>;
  merges: string[];
  duplicates: number[];
} {
  const pieces: string[] = byteToUnicode();
  const merges = tokenizer.merges.map(([left, right]) => {
    pieces.push(`${pieces[left]}${pieces[right]}`);
    return `${pieces[left]} ${pieces[right]}`;
  });
  const vocab = new Map<string, number>();
  const duplicates: number[] = [];
  pieces.forEach((piece, id) => {
    if (vocab.has(piece)) duplicates.push(id);
    else vocab.set(piece, id);
  });
  return { vocab: Object.fromEntries(vocab), merges, duplicates };
}
