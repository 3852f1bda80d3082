import { resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import {
  BaseError,
  estimateMemory,
  getModelPreset,
  hashRunConfig,
  hyperparameterPresets,
} from '@tessera/core';
import type { Hyperparameters, MemoryEstimate } from '@tessera/core';
import { exitCodes } from '../exitCodes.js';
import { writeNewFile } from '../fs/writeNewFile.js';
import { buildRunConfig } from '../runConfig/buildRunConfig.js';
import { defineCommand } from './command.js';

const initSchema = Type.Object({
  preset: Type.String({
    description: `Hyperparameter preset to start from: ${Object.keys(hyperparameterPresets).join(', ')}.`,
    default: 'tiny',
    placeholder: 'name',
  }),
  set: Type.Array(Type.String({ minLength: 1 }), {
    description:
      'Override a hyperparameter, key=value (innerSteps=4, dataset.manifest=0x…); the value is JSON when it parses as JSON, else text. Repeat the flag for more. Without runSeed=… a fresh random seed is drawn.',
    default: [],
    placeholder: 'key=value',
  }),
  out: Type.String({ description: 'The run config file to write.', default: 'run.json', minLength: 1 }),
  force: Type.Boolean({ description: 'Replace --out when it exists.', default: false }),
  json: Type.Boolean({ description: 'Print JSON instead of text.', default: false }),
});

/**
 * `tessera init`: writes a run config (run.json) from a preset and overrides, validated as
 * every role will read it, with a fresh random runSeed unless one is set; prints its hash (what
 * the subnet records on chain) and what its model needs in memory.
 */
export const initCommand = defineCommand({
  name: 'init',
  summary: 'Write a new run config (run.json) from a preset; print its hash and memory needs.',
  description:
    "Builds a run config from --preset and each --set key=value, validates it as every miner and validator will, draws a fresh random runSeed unless --set runSeed=0x… is given, and writes it to --out atomically (an existing file only with --force). Prints the config's hash — pass it to the deploy script (--run-config-hash) on EVM, or publish it with `tessera subnet set-run-config` on Bittensor, so the subnet records it and roles with another config refuse to start — and the memory its model preset needs to train: parameters, gradients, AdamW moments and one batch's activations at the config's batchSize × pageTokens.",
  schema: initSchema,
  check: (options) => {
    const built = buildRunConfig({ preset: options.preset, set: options.set });
    return 'problems' in built ? built.problems : [];
  },
  async run(options) {
    const built = buildRunConfig({ preset: options.preset, set: options.set });
    if ('problems' in built) return exitCodes.usage; // check() reported them
    const { hyperparameters } = built;
    const out = resolve(options.out);
    await writeNewFile({
      path: out,
      text: `${JSON.stringify(hyperparameters, null, 2)}\n`,
      force: options.force,
      exists: (path) =>
        new BaseError(`${path} exists already.`, {
          hint: 'Pass --force to replace it, or --out another file.',
        }),
    });
    const hash = hashRunConfig({ hyperparameters });
    const memory = estimateMemory({
      config: getModelPreset({ name: hyperparameters.modelPreset }),
      batchSize: hyperparameters.batchSize,
      sequenceLength: hyperparameters.pageTokens,
    });
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ path: out, runConfigHash: hash, modelPreset: hyperparameters.modelPreset, runSeed: hyperparameters.runSeed, memory })}\n`
        : describe({ out, hash, hyperparameters, memory }),
    );
    return exitCodes.ok;
  },
});

function describe(parameters: {
  out: string;
  hash: string;
  hyperparameters: Hyperparameters;
  memory: MemoryEstimate;
}): string {
  const { out, hash, hyperparameters: h, memory: m } = parameters;
  return [
    `wrote ${out}`,
    `run config hash  ${hash}`,
    `run seed         ${h.runSeed}`,
    `model ${h.modelPreset}: ${m.parameterCount.toLocaleString('en-US')} parameters; to train, per miner:`,
    `  parameters     ${mib(m.parameterBytes)}`,
    `  gradients      ${mib(m.gradientBytes)}`,
    `  AdamW moments  ${mib(m.optimizerBytes)}`,
    `  activations    ${mib(m.activationBytes)} per batch of ${h.batchSize} × ${h.pageTokens} tokens, ${mib(m.peakActivationBytes)} at the backward pass's peak`,
    `  total          ${mib(m.totalBytes)}`,
    `Record it with the subnet: on EVM deploy with --run-config-hash ${hash}; on Bittensor run`,
    `\`tessera subnet set-run-config --run ${out}\` with the owner hotkey. Give every miner and validator this file (--run).`,
    '',
  ].join('\n');
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
