import { resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { buildDataset, createStoreRouter, maxShardTokens, readDatasetInputs } from '@tessera/core';
import { checkDatasetOutDir } from '../dataset/checkDatasetOutDir.js';
import { verifyDatasetMirror } from '../dataset/verifyDatasetMirror.js';
import { exitCodes } from '../exitCodes.js';
import { defineCommand } from './command.js';

const json = Type.Boolean({ description: 'Print JSON instead of text.', default: false });

const buildSchema = Type.Object({
  input: Type.Array(Type.String({ minLength: 1 }), {
    description:
      'Input files, in order: a .jsonl file gives one document a line ({"text": "…"}, other fields ignored), any other file is one UTF-8 document. Repeat the flag or separate with commas.',
    minItems: 1,
    placeholder: 'file,…',
  }),
  out: Type.String({
    description:
      'Folder the shards and the manifest are written to: a mirror as it is served. New, empty, or a dataset mirror already (unless --force).',
    minLength: 1,
    placeholder: 'dir',
  }),
  shardTokens: Type.Integer({
    description: 'Most tokens per shard (4 bytes each); the last shard of each split may hold fewer.',
    default: 1 << 22,
    minimum: 2,
    maximum: maxShardTokens,
  }),
  name: Type.String({
    description: 'Name recorded in the manifest, for people.',
    default: 'dataset',
    maxLength: 200,
  }),
  mirror: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
    description:
      'Where the folder will be served from (https://…, s3://…, a path), for the run-config snippet printed; by default the --out folder itself.',
    default: [],
    maxItems: 64,
    placeholder: 'uri,…',
  }),
  force: Type.Boolean({
    description: 'Write into a folder that holds other files too.',
    default: false,
  }),
  json,
});

/** `tessera data build`: text and JSONL files into a dataset's shards and manifest. */
export const dataBuildCommand = defineCommand({
  name: 'data build',
  summary: 'Tokenize text and JSONL files into a dataset a run can name.',
  description:
    'Reads the --input files in order (one document per text file, one per line of a .jsonl file), tokenizes them with GPT-2’s BPE, holds out one document in 20 for the held-out split, cuts each split into shards of --shard-tokens tokens named by their keccak-256 digest and writes them with the manifest into --out. Serve that folder (any HTTP server, a bucket, a shared folder) and name the dataset in run.json with the snippet it prints: every participant checks every file against its digest, so any mirror will do. The same inputs and settings give the same digest.',
  schema: buildSchema,
  async run(options) {
    await checkDatasetOutDir({ outDir: options.out, force: options.force });
    const documents = await readDatasetInputs({ paths: options.input });
    const built = await buildDataset({
      documents,
      tokenizer: 'gpt2',
      shardTokens: options.shardTokens,
      outDir: options.out,
      name: options.name,
    });
    const { manifest } = built;
    const tokens = (split: 'train' | 'held-out') =>
      manifest.shards.filter((shard) => shard.split === split).reduce((sum, shard) => sum + shard.tokens, 0);
    const dataset = {
      manifest: built.digest,
      mirrors: options.mirror.length > 0 ? [...options.mirror] : [resolve(options.out)],
    };
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          manifest: built.digest,
          manifestPath: built.manifestPath,
          name: manifest.name,
          documents: manifest.documents,
          tokens: { train: tokens('train'), heldOut: tokens('held-out') },
          shards: manifest.shards.length,
          dataset,
        })}\n`,
      );
      return exitCodes.ok;
    }
    process.stdout.write(
      [
        `Dataset "${manifest.name}" in ${options.out}: ${manifest.documents.train} training and ${manifest.documents.heldOut} held-out documents, ${tokens('train')} and ${tokens('held-out')} tokens, ${manifest.shards.length} shards.`,
        `Manifest: ${built.digest}`,
        '',
        'Name it in run.json:',
        `  "dataset": ${JSON.stringify(dataset)}`,
        '',
      ].join('\n'),
    );
    return exitCodes.ok;
  },
});

const verifySchema = Type.Object({
  manifest: Type.Unsafe<`0x${string}`>(
    Type.String({
      description: "keccak256 of the dataset's manifest: the run config's dataset.manifest.",
      pattern: '^0x[0-9a-fA-F]{64}$',
      placeholder: '0x…',
    }),
  ),
  mirror: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), {
    description: 'Mirrors to check, each on its own: folders, file://, http:// or https:// bases.',
    minItems: 1,
    maxItems: 64,
    placeholder: 'uri,…',
  }),
  timeoutMs: Type.Integer({
    description: 'Time limit per file, in milliseconds.',
    default: 120_000,
    minimum: 1,
  }),
  json,
});

/** `tessera data verify`: does a mirror serve every file of a dataset with the right digest? */
export const dataVerifyCommand = defineCommand({
  name: 'data verify',
  summary: 'Check that mirrors serve every file of a dataset with the right digest.',
  description:
    'Fetches the manifest and every shard of the dataset --manifest names from each --mirror on its own (no cache, no fallback to another mirror), one shard at a time, and checks each against its digest: what a mirror operator runs after copying a dataset. Prints each mirror’s result (with --json, one JSON object); exits 1 when any mirror lacks a file or serves other bytes.',
  schema: verifySchema,
  async run(options) {
    // Mirrors are the operator's own choice: loopback and private addresses are allowed.
    const router = createStoreRouter({ http: { blockPrivateAddresses: false } });
    const reports = [];
    for (const mirror of options.mirror) {
      reports.push(
        await verifyDatasetMirror({
          manifest: options.manifest,
          mirror,
          router,
          timeoutMs: options.timeoutMs,
        }),
      );
    }
    const ok = reports.every((report) => report.ok);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({
          manifest: options.manifest,
          ok,
          mirrors: reports.map(({ manifest, ...report }) => ({ ...report, shards: manifest?.shards.length })),
        })}\n`,
      );
      return ok ? exitCodes.ok : exitCodes.failure;
    }
    for (const report of reports) {
      const shards = report.manifest?.shards.length ?? 0;
      const lines =
        report.manifestError !== undefined
          ? [`${report.mirror}: manifest refused: ${report.manifestError}`]
          : [
              `${report.mirror}: ${report.ok ? 'ok' : 'INCOMPLETE'}, ${report.goodShards} of ${shards} shards verified`,
              ...report.badShards.map((bad) => `  shard ${bad.index} ${bad.digest}: ${bad.reason}`),
            ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return ok ? exitCodes.ok : exitCodes.failure;
  },
});

/** The `tessera data` actions, in the order `tessera data --help` lists them. */
export const dataCommands = [dataBuildCommand, dataVerifyCommand];
