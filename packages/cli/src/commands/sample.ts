import { Type } from '@sinclair/typebox';
import {
  backendFields,
  BaseError,
  chainConnectionFields,
  checkChainOptions,
  createModel,
  logFields,
  maxSampleTokens,
  readerFields,
  sampleTokens,
  stopTokenOf,
  selectBackend,
} from '@tessera/core';
import type { Hex32, Logger, ModelConfig, OptionProblem, OptionsOf, TextTokenizer } from '@tessera/core';
import { loggerOf } from '../connect/loggerOf.js';
import { withChain } from '../connect/openChain.js';
import { exitCodes } from '../exitCodes.js';
import { followChainModel } from '../model/followChainModel.js';
import { loadModelFile } from '../model/loadModelFile.js';
import { modelFileFields } from '../model/modelFields.js';
import { defineCommand } from './command.js';
import { readOnlyKeys } from './rewards.js';

const schema = Type.Object({
  ...modelFileFields,
  /** Without it the global model is rebuilt from the chain. */
  model: Type.Optional(modelFileFields.model),
  /** Chain mode: the subnet whose global model to sample, read without any key. */
  ...chainConnectionFields,
  /** Chain mode: how the checkpoint and update URIs on chain are read. */
  ...readerFields(),
  window: Type.Optional(
    Type.Integer({
      description:
        'Chain mode: the window whose starting model to sample. Default: the latest settled one (the current window − 1).',
      minimum: 0,
      placeholder: 'n',
    }),
  ),
  prompt: Type.String({ description: 'Text the model continues.', placeholder: 'text', minLength: 1 }),
  maxTokens: Type.Integer({
    description: 'Most tokens to generate; GPT-2 models stop earlier at end-of-text.',
    default: 64,
    minimum: 0,
    maximum: maxSampleTokens,
  }),
  temperature: Type.Number({
    description: 'Softmax temperature; 0 always takes the most likely token.',
    default: 1,
    minimum: 0,
    maximum: 100,
  }),
  topK: Type.Integer({
    description: 'Draw among the K most likely tokens; 0 for all.',
    default: 40,
    minimum: 0,
  }),
  seed: Type.Integer({
    description: 'Seed of the draws: the same model, prompt and seed give the same text.',
    default: 0,
    minimum: 0,
    maximum: 0xffffffff,
  }),
  ...backendFields(),
  json: Type.Boolean({
    description:
      'Print one JSON object (text, token ids, whether end-of-text stopped it) instead of the text.',
    default: false,
  }),
  ...logFields({ logLevel: 'warn' }),
});

/** A model to sample: its parameters, config, hash and tokenizer, and the window it is of. */
type SampledModel = {
  config: ModelConfig;
  parameters: Float32Array;
  modelHash: Hex32;
  tokenizer: TextTokenizer;
  window: number;
};

/** `tessera sample`: text from a model checkpoint, or from the subnet's current global model. */
export const sampleCommand = defineCommand({
  name: 'sample',
  summary: 'Generate text from a model checkpoint or the subnet’s current model.',
  description:
    'Reads a θ checkpoint (--model, a path or URI; checked against --model-hash and the --run preset when given), or without --model rebuilds the subnet’s global model from the chain as a late-joining miner does (--run and the chain flags, no key: the run config checked against the chain, the latest checkpoint and every lead aggregate since, each update verified against its commitment; --window picks the window, by default the latest settled one). Then encodes --prompt with its tokenizer and prints the continuation: up to --max-tokens tokens drawn at --temperature among the --top-k most likely, seeded by --seed so a run can be repeated. GPT-2 models stop at end-of-text.',
  schema,
  check: (options): OptionProblem[] => {
    if (options.model !== undefined) {
      return options.window === undefined
        ? []
        : [{ field: 'window', problem: 'goes with the chain (no --model): a checkpoint is of one window' }];
    }
    const problems = checkChainOptions({ options, needs: readOnlyKeys });
    if (options.run === undefined)
      problems.push({
        field: 'model',
        problem: 'required, or --run with the chain flags to sample the subnet’s current model',
      });
    if (options.modelHash !== undefined)
      problems.push({ field: 'modelHash', problem: 'goes with --model: the chain names the hash itself' });
    return problems;
  },
  async run(options) {
    const logger = loggerOf(options, { command: 'sample' });
    const { model: file } = options;
    const source =
      file === undefined
        ? await chainModel(options, logger)
        : await fileModel({ ...options, model: file }, logger);
    const { tokenizer } = source;
    const prompt = tokenizer.encode(options.prompt);
    if (prompt.length === 0) {
      throw new BaseError('The prompt encodes to no tokens.', { hint: 'Pass a --prompt with some text.' });
    }
    const model = createModel({ config: source.config, parameters: source.parameters });
    try {
      const { tokens, stopped } = await sampleTokens({
        model,
        prompt,
        maxTokens: options.maxTokens,
        temperature: options.temperature,
        topK: options.topK,
        seed: options.seed,
        stopToken: stopTokenOf(tokenizer),
      });
      const text = tokenizer.decode(tokens);
      const result = {
        prompt: options.prompt,
        text,
        tokens: Array.from(tokens),
        stopped,
        modelHash: source.modelHash,
        window: source.window,
      };
      process.stdout.write(options.json ? `${JSON.stringify(result)}\n` : `${text}\n`);
      return exitCodes.ok;
    } finally {
      model.dispose();
    }
  },
});

type SampleOptions = OptionsOf<typeof schema>;

async function fileModel(options: SampleOptions & { model: string }, logger: Logger): Promise<SampledModel> {
  const { checkpoint, tokenizer } = await loadModelFile({ ...options, logger });
  await selectBackend({ preferred: options.backend, logger });
  return { ...checkpoint, tokenizer };
}

/**
 * The subnet's global model, rebuilt from the chain (its run context selects the backend);
 * nothing is signed, so no key is passed on.
 */
function chainModel(options: SampleOptions, logger: Logger): Promise<SampledModel> {
  const keyless = { ...options, privateKey: undefined, hotkey: undefined, coldkey: undefined };
  return withChain({ options: keyless, command: 'sample' }, ({ chain }) =>
    followChainModel({ ...options, chain, run: options.run!, logger }),
  );
}
