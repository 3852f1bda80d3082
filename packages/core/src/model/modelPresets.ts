import { ModelError } from '../errors/model.js';
import { parseModelConfig } from './modelConfig.js';
import type { ModelConfig } from './modelConfig.js';

/**
 * Named model configs, smallest first. Vocabulary sizes match the byte-level BPE tokenizers
 * `createCorpus` builds (512, 2048, 8192), so a preset and a corpus built with the same
 * `vocabSize` fit together.
 *
 * | name       | parameters | vocab | context | dModel | layers | heads | for                          |
 * | ---------- | ---------- | ----- | ------- | ------ | ------ | ----- | ---------------------------- |
 * | `tiny`     | 136,448    | 512   | 64      | 64     | 2      | 4     | tests, the devnet, 2 CPU cores |
 * | `small`    | 1,069,824  | 2048  | 128     | 128    | 4      | 4     | a laptop CPU (wasm)          |
 * | `gpu-50m`  | 52,852,608 | 8192  | 512     | 576    | 12     | 9     | one GPU (tfjs-node-gpu)      |
 * | `gpu-150m` | 148,775,424| 8192  | 1024    | 768    | 20     | 12    | one large GPU                |
 */
export const modelPresets = {
  tiny: preset({
    name: 'tiny',
    vocabSize: 512,
    contextLength: 64,
    dModel: 64,
    layers: 2,
    heads: 4,
    mlpHidden: 256,
  }),
  small: preset({
    name: 'small',
    vocabSize: 2048,
    contextLength: 128,
    dModel: 128,
    layers: 4,
    heads: 4,
    mlpHidden: 512,
  }),
  'gpu-50m': preset({
    name: 'gpu-50m',
    vocabSize: 8192,
    contextLength: 512,
    dModel: 576,
    layers: 12,
    heads: 9,
    mlpHidden: 2304,
  }),
  'gpu-150m': preset({
    name: 'gpu-150m',
    vocabSize: 8192,
    contextLength: 1024,
    dModel: 768,
    layers: 20,
    heads: 12,
    mlpHidden: 3072,
  }),
} as const satisfies Record<string, ModelConfig>;

/** A name in {@link modelPresets}. */
export type ModelPresetName = keyof typeof modelPresets;

/** Parameters of {@link getModelPreset}. */
export type GetModelPresetParameters = {
  /** A preset name: `tiny`, `small`, `gpu-50m`, `gpu-150m`. */
  name: string;
};

/**
 * Looks up a model preset by name (from a flag or a config file).
 *
 * @returns The frozen config.
 * @throws ModelError `invalid-config` for an unknown name, listing the known ones.
 * @example
 * const config = getModelPreset({ name: options.model }); // 'tiny'
 */
export function getModelPreset(parameters: GetModelPresetParameters): ModelConfig {
  const { name } = parameters;
  if (!Object.hasOwn(modelPresets, name)) {
    throw new ModelError('invalid-config', `Unknown model preset "${name}".`, {
      details: `Known presets: ${Object.keys(modelPresets).join(', ')}.`,
    });
  }
  return modelPresets[name as ModelPresetName];
}

function preset(
  shape: Omit<ModelConfig, 'tieEmbeddings' | 'layerNormEpsilon' | 'initStd'> &
    Partial<Pick<ModelConfig, 'tieEmbeddings' | 'layerNormEpsilon' | 'initStd'>>,
): ModelConfig {
  return parseModelConfig({
    config: { tieEmbeddings: true, layerNormEpsilon: 1e-5, initStd: 0.02, ...shape },
  });
}
