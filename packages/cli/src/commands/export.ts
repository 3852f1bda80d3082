import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { BaseError, exportModel, logFields, writeFileAtomic } from '@tessera/core';
import { loggerOf } from '../connect/loggerOf.js';
import { exitCodes } from '../exitCodes.js';
import { loadModelFile } from '../model/loadModelFile.js';
import { modelFileFields } from '../model/modelFields.js';
import { defineCommand } from './command.js';

const schema = Type.Object({
  ...modelFileFields,
  out: Type.String({
    description:
      'Folder to write model.safetensors, config.json and the tokenizer files into (created when missing).',
    placeholder: 'dir',
    minLength: 1,
  }),
  force: Type.Boolean({ description: 'Replace files the folder already holds.', default: false }),
  ...logFields({ logLevel: 'warn' }),
});

/** `tessera export`: a checkpoint as a Hugging Face GPT-2 folder. */
export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Export a model checkpoint as safetensors and a GPT-2 config.',
  description:
    "Reads a θ checkpoint (--model, a path or URI; checked against --model-hash and the --run preset when given) and writes it to --out in Hugging Face GPT-2's layout: model.safetensors (float32, GPT2LMHeadModel names, the model hash and window in its metadata), config.json, tokenizer_config.json, and for the trained BPE vocab.json and merges.txt. Refuses to replace existing files unless --force; each file is written to a temporary name and renamed. Prints the files and the model hash as JSON.",
  schema,
  async run(options) {
    const logger = loggerOf(options, { command: 'export' });
    const { checkpoint, tokenizer } = await loadModelFile({ ...options, logger });
    const exported = exportModel({
      config: checkpoint.config,
      parameters: checkpoint.parameters,
      tokenizer,
      window: checkpoint.window,
    });
    for (const warning of exported.warnings) logger.warn('export', { warning });
    const targets = Object.keys(exported.files).map((name) => join(resolve(options.out), name));
    if (!options.force) {
      const present = (
        await Promise.all(
          targets.map((path) =>
            access(path).then(
              () => path,
              () => undefined,
            ),
          ),
        )
      ).filter((path) => path !== undefined);
      if (present.length > 0) {
        throw new BaseError('The output folder already holds an export.', {
          details: present.join(', '),
          hint: 'Pass --force to replace those files, or another --out.',
        });
      }
    }
    for (const [name, content] of Object.entries(exported.files)) {
      await writeFileAtomic({ path: join(resolve(options.out), name), bytes: content });
    }
    process.stdout.write(
      `${JSON.stringify({
        out: resolve(options.out),
        files: Object.keys(exported.files),
        modelHash: exported.modelHash,
        window: checkpoint.window,
        config: checkpoint.config.name,
      })}\n`,
    );
    return exitCodes.ok;
  },
});
