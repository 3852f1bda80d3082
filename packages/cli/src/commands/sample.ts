import { Type } from '@sinclair/typebox';
import {
  backendFields,
  BaseError,
  createModel,
  logFields,
  maxSampleTokens,
  sampleTokens,
  selectBackend,
} from '@tessera/core';
import { loggerOf } from '../connect/loggerOf.js';
import { exitCodes } from '../exitCodes.js';
import { loadModelFile } from '../model/loadModelFile.js';
import { modelFileFields } from '../model/modelFields.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...modelFileFields,
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

/** `tessera sample`: text from a model checkpoint. */
export const sampleCommand = defineCommand({
  name: 'sample',
  summary: 'Generate text from a model checkpoint.',
  description:
    'Reads a θ checkpoint (--model, a path or URI; checked against --model-hash and the --run preset when given), encodes --prompt with its tokenizer and prints the continuation: up to --max-tokens tokens drawn at --temperature among the --top-k most likely, seeded by --seed so a run can be repeated. GPT-2 models stop at end-of-text.',
  schema,
  async run(options) {
    const logger = loggerOf(options, { command: 'sample' });
    const { checkpoint, tokenizer } = await loadModelFile({ ...options, logger });
    const prompt = tokenizer.encode(options.prompt);
    if (prompt.length === 0) {
      throw new BaseError('The prompt encodes to no tokens.', { hint: 'Pass a --prompt with some text.' });
    }
    await selectBackend({ preferred: options.backend, logger });
    const model = createModel({ config: checkpoint.config, parameters: checkpoint.parameters });
    try {
      const stopToken = 'endOfText' in tokenizer ? (tokenizer.endOfText as number) : undefined;
      const { tokens, stopped } = await sampleTokens({
        model,
        prompt,
        maxTokens: options.maxTokens,
        temperature: options.temperature,
        topK: options.topK,
        seed: options.seed,
        stopToken,
      });
      const text = tokenizer.decode(tokens);
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ prompt: options.prompt, text, tokens: Array.from(tokens), stopped, modelHash: checkpoint.modelHash })}\n`
          : `${text}\n`,
      );
      return exitCodes.ok;
    } finally {
      model.dispose();
    }
  },
});
