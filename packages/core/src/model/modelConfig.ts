import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ModelError } from '../errors/model.js';

/**
 * The schema of a {@link ModelConfig}: the shape of a decoder-only transformer. Every field
 * is required; presets in {@link modelPresets} fill them.
 */
export const ModelConfigSchema = Type.Object(
  {
    /** Short name, written into checkpoints (`tiny`, `gpu-50m`). */
    name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'Config name.' }),
    /** Token vocabulary size; must equal the tokenizer's. */
    vocabSize: Type.Integer({ minimum: 2, maximum: 1 << 20, description: 'Vocabulary size.' }),
    /** Longest sequence the model reads (positions in `pos_emb`). */
    contextLength: Type.Integer({ minimum: 1, maximum: 1 << 16, description: 'Context length in tokens.' }),
    /** Width of the residual stream. */
    dModel: Type.Integer({ minimum: 1, maximum: 1 << 16, description: 'Model width.' }),
    /** Number of transformer blocks. */
    layers: Type.Integer({ minimum: 1, maximum: 1024, description: 'Transformer blocks.' }),
    /** Attention heads per block; must divide `dModel`. */
    heads: Type.Integer({ minimum: 1, maximum: 1024, description: 'Attention heads.' }),
    /** Hidden width of each block's MLP (usually `4 * dModel`). */
    mlpHidden: Type.Integer({ minimum: 1, maximum: 1 << 18, description: 'MLP hidden width.' }),
    /** When true the LM head reuses `tok_emb` (transposed) and there is no `lm_head` variable. */
    tieEmbeddings: Type.Boolean({ description: 'Share the token embedding with the LM head.' }),
    /** Added to the variance in every layer norm. */
    layerNormEpsilon: Type.Number({ exclusiveMinimum: 0, maximum: 0.1, description: 'Layer norm epsilon.' }),
    /** Standard deviation of the initial weights; output projections are scaled down by `sqrt(2 * layers)`. */
    initStd: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'Initial weight scale.' }),
  },
  { additionalProperties: false },
);

/**
 * The shape of a decoder-only transformer language model. Validate one from outside with
 * {@link parseModelConfig}; take a ready one from {@link modelPresets}.
 */
export type ModelConfig = Readonly<Static<typeof ModelConfigSchema>>;

/** Parameters of {@link parseModelConfig}. */
export type ParseModelConfigParameters = {
  /** The untrusted value (parsed JSON, a checkpoint header, a config file). */
  config: unknown;
};

/**
 * Validates a model config against {@link ModelConfigSchema} and its cross-field rules, and
 * returns it frozen.
 *
 * @returns The same config, typed and frozen.
 * @throws ModelError `invalid-config` listing every problem.
 * @example
 * const config = parseModelConfig({ config: JSON.parse(text) });
 */
export function parseModelConfig(parameters: ParseModelConfigParameters): ModelConfig {
  const { config } = parameters;
  const problems: string[] = [];
  if (!Value.Check(ModelConfigSchema, config)) {
    for (const error of Value.Errors(ModelConfigSchema, config)) {
      problems.push(`${error.path || '(root)'}: ${error.message}`);
    }
  } else if (config.dModel % config.heads !== 0) {
    problems.push(`/heads: ${config.heads} does not divide dModel ${config.dModel}`);
  }
  if (problems.length > 0) {
    throw new ModelError('invalid-config', 'Invalid model config.', {
      metaMessages: problems.map((problem) => `  ${problem}`),
      hint: 'Start from a preset in modelPresets and change only what you need.',
    });
  }
  return Object.freeze({ ...(config as ModelConfig) });
}
