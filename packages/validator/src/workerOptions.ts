import { Type } from '@sinclair/typebox';
import type { OptionsOf } from '@tessera/core';
import { defaultEvaluationQueueName } from './createEvaluationQueue.js';
import { evaluationOptionFields } from './validatorOptions.js';

/**
 * The whole option schema of `tessera worker` for `buildOptions`: which validator's queue to
 * take jobs from, how many to evaluate at once, metrics, and {@link evaluationOptionFields}. A worker
 * needs no key and no chain: jobs carry everything, θ_w included by URI.
 *
 * @example
 * const options = buildOptions({ schema: workerOptionsSchema, argv: process.argv.slice(3) });
 */
export const workerOptionsSchema = Type.Object({
  /** The validator's Redis prefix, which it logs at start (`redisPrefix`). Required. */
  prefix: Type.String({
    description:
      'Redis prefix of the validator to work for, as it logs at start (tessera:<subnet>:<hotkey>).',
    pattern: '^\\S+$',
    placeholder: 'prefix',
  }),
  /** Queue name within the prefix. @default 'evaluations' */
  queue: Type.String({
    description: 'Queue name within the prefix.',
    default: defaultEvaluationQueueName,
    pattern: '^[A-Za-z0-9_.-]+$',
    placeholder: 'name',
  }),
  /** Updates evaluated at once, each on its own model; downloads run beside them (`downloads`). @default 1 */
  concurrency: Type.Integer({
    description:
      'Updates evaluated at once, each on its own model (TensorFlow.js computes on one thread); downloads run beside them (--downloads).',
    default: 1,
    minimum: 1,
    maximum: 64,
  }),
  /** Port of the Prometheus endpoint; 0 turns it off. @default 9466 */
  metricsPort: Type.Integer({
    description: 'Port of the Prometheus /metrics endpoint; 0 turns it off.',
    default: 9466,
    minimum: 0,
    maximum: 65535,
  }),
  ...evaluationOptionFields,
});

/** A worker's options as `buildOptions({ schema: workerOptionsSchema })` returns them. */
export type WorkerOptions = OptionsOf<typeof workerOptionsSchema>;
