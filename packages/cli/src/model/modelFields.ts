import { Type } from '@sinclair/typebox';

/**
 * The flags `tessera export` and `tessera sample` share to name a model: the checkpoint (a
 * path or URI), the hash it must have, the run config it must belong to, and its tokenizer.
 */
export const modelFileFields = {
  /** The θ checkpoint: a path, or a `file:`, `http(s):` URI. */
  model: Type.String({
    description:
      'The model checkpoint (θ_w, as validators and miners save and publish it): a path, or a file:, http: or https: URI.',
    placeholder: 'path|uri',
    minLength: 1,
  }),
  /** The model hash the checkpoint must hold (the one committed on chain). @default none */
  modelHash: Type.Optional(
    Type.String({
      description:
        'Refuse the checkpoint unless its parameters hash to this 0x model hash (as committed on chain).',
      pattern: '^0x[0-9a-fA-F]{64}$',
      placeholder: '0x…',
    }),
  ),
  /** The run config; the checkpoint must be of its model preset, and a dataset run means GPT-2's tokenizer. @default none */
  run: Type.Optional(
    Type.String({
      description:
        "The run's run.json: the checkpoint must be of its model preset, and a run with a dataset uses GPT-2's tokenizer.",
      placeholder: 'path',
    }),
  ),
  /** Which tokenizer the model reads. @default 'auto' */
  tokenizer: Type.Union([Type.Literal('auto'), Type.Literal('bpe'), Type.Literal('gpt2')], {
    description:
      "The model's tokenizer: bpe (the Brown Corpus BPE of the model's vocabulary size), gpt2, or auto (gpt2 for a dataset run or a 50,257-token vocabulary, else bpe).",
    default: 'auto',
  }),
  /** Where the trained BPE is cached. @default '.tessera/cache' */
  cacheDir: Type.String({
    description: 'Folder of the tokenized corpus, where the trained BPE is cached.',
    default: '.tessera/cache',
    placeholder: 'path',
  }),
};
