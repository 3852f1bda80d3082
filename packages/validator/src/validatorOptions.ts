import { Type } from '@sinclair/typebox';
import {
  backendFields,
  chainConnectionFields,
  hotkeyFields,
  logFields,
  readerFields,
  runFields,
  storeFields,
} from '@tessera/core';
import type { OptionsOf } from '@tessera/core';

/**
 * Options `tessera validator` and `tessera worker` share: the run, Redis, the corpus, the
 * backend, how updates are read, and logging.
 */
export const evaluationOptionFields = {
  /** `--run`, `--cache-dir` and `--dataset-mirrors`: the run, and where its training data is kept and found. */
  ...runFields(),
  /** Redis the evaluation queue and the validator's state live in. @default 'redis://127.0.0.1:6379' */
  redisUrl: Type.String({
    description: 'Redis holding the evaluation queue and the validator’s scores.',
    default: 'redis://127.0.0.1:6379',
    pattern: '^rediss?://\\S+$',
    placeholder: 'url',
  }),
  /**
   * Where the validator publishes its checkpoints and aggregates' model files (`--store`,
   * `--store-dir`, `--public-url`, `--s3-*`); its workers take the same options to read them.
   */
  ...storeFields({ defaultDir: '.tessera/validator-store' }),
  /** How miners' update URIs are read: `--read-file-uris`, `--no-block-private-addresses`. */
  ...readerFields(),
  /**
   * Longest one update download may take, in milliseconds; each window's downloads get half
   * the time left before the validator's publish cutoff, at most this. @default 30000
   */
  fetchTimeoutMs: Type.Integer({
    description:
      'Longest one update download may take, in ms; each window gives its downloads half the time left before the publish cutoff, at most this.',
    default: 30_000,
    minimum: 100,
  }),
  /**
   * Jobs a worker holds at once: each downloads its update beside the others, then waits for
   * a model; slow stores hold these, never a model. @default 16
   */
  downloads: Type.Integer({
    description:
      'Updates a worker downloads at once, beside its evaluations; a slow store holds one of these, never a model.',
    default: 16,
    minimum: 1,
    maximum: 1024,
  }),
  /**
   * Lock of an evaluation job, in milliseconds: a worker that dies mid-job has its job
   * retried by another after about twice this. @default 30000
   */
  lockMs: Type.Integer({
    description:
      'Lock of an evaluation job in milliseconds; a job whose worker died is retried by another after about twice this.',
    default: 30_000,
    minimum: 1_000,
  }),
  /** `--backend`: the TensorFlow.js backend to try first; `TESSERA_BACKEND` overrides it. */
  ...backendFields(),
  /** Interface of the Prometheus endpoint. @default '127.0.0.1' */
  metricsHost: Type.String({
    description: 'Interface the Prometheus endpoint listens on.',
    default: '127.0.0.1',
    placeholder: 'host',
  }),
  ...logFields(),
};

/**
 * The whole option schema of `tessera validator` for `buildOptions`: the chain connection
 * (`--chain evm|subtensor`, each chain's endpoint, `--netuid`), the validator's hotkey (`--private-key`
 * on EVM, `--hotkey` on subtensor; no coldkey), its folders, in-process workers, metrics, and
 * {@link evaluationOptionFields}.
 *
 * @example
 * const options = buildOptions({ schema: validatorOptionsSchema, argv: process.argv.slice(3) });
 */
export const validatorOptionsSchema = Type.Object({
  ...chainConnectionFields,
  ...hotkeyFields({ role: 'validator' }),
  /** Folder for the evaluation secret; keep it across restarts. @default '.tessera/validator' */
  stateDir: Type.String({
    description: 'Folder for the validator’s evaluation secret; keep it across restarts.',
    default: '.tessera/validator',
    placeholder: 'path',
  }),
  /** Evaluation workers inside this process; 0 leaves evaluation to `tessera worker`. @default 1 */
  workers: Type.Integer({
    description:
      'Evaluation workers inside this process; 0 leaves all evaluation to `tessera worker` processes.',
    default: 1,
    minimum: 0,
    maximum: 64,
  }),
  /**
   * Milliseconds per block to assume until the validator has watched the chain for a few
   * blocks; it measures the block time itself from then on. @default 12000
   */
  blockTimeMs: Type.Integer({
    description:
      'Milliseconds per block to assume at start, until the validator has measured the chain’s block time itself.',
    default: 12_000,
    minimum: 1,
  }),
  /** Port of the Prometheus endpoint; 0 turns it off. @default 9465 */
  metricsPort: Type.Integer({
    description: 'Port of the Prometheus /metrics endpoint; 0 turns it off.',
    default: 9465,
    minimum: 0,
    maximum: 65535,
  }),
  /** The prompt of the sample the dashboard shows for each window's model. @default 'The' */
  samplePrompt: Type.String({
    description:
      'Prompt of the short greedy sample of each window’s model, written beside its held-out loss for the dashboard.',
    default: 'The',
    minLength: 1,
    maxLength: 200,
    placeholder: 'text',
  }),
  /** Tokens of that sample; 0 writes none. @default 24 */
  sampleTokens: Type.Integer({
    description: 'Tokens of the dashboard’s sample of each window’s model; 0 writes none.',
    default: 24,
    minimum: 0,
    maximum: 128,
  }),
  ...evaluationOptionFields,
});

/** The validator's options as `buildOptions({ schema: validatorOptionsSchema })` returns them. */
export type ValidatorOptions = OptionsOf<typeof validatorOptionsSchema>;
