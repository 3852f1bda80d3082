import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ValidatorError } from './errors/validator.js';

const hex32 = Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' });
const index = Type.Integer({ minimum: 0, maximum: 2 ** 32 - 1 });

/**
 * TypeBox schema of an evaluation job's data; workers check every job against it and fail
 * malformed ones for good.
 */
export const evaluationJobSchema = Type.Object(
  {
    /** The window evaluated. */
    window: index,
    uid: Type.Integer({ minimum: 0, maximum: 0xffff }),
    /** The committed digest, URI and model hash. */
    digest: hex32,
    uri: Type.String({ minLength: 1, maxLength: 4096 }),
    modelHash: hex32,
    /** The miner's assignment: shard and pages (`assignWork`). */
    shard: index,
    pages: Type.Array(index, { minItems: 1, maxItems: 65536 }),
    /** The window's unseen pages (`drawEvaluationPages`): what the update is scored on. */
    unseenPages: Type.Array(index, { minItems: 1, maxItems: 65536 }),
    /** ρ of the uid's shard: the norm bound the update is scored at. */
    normBound: Type.Number({ exclusiveMinimum: 0 }),
    /** Where θ_w lies as a checkpoint file, and its model hash. */
    theta: Type.Object({ uri: Type.String({ minLength: 1, maxLength: 4096 }), modelHash: hex32 }),
    /**
     * Time budget of the update's download in milliseconds, from the window's timing
     * (`fetchBudget`); a worker's own `fetchTimeoutMs` caps it. Absent in jobs of validators
     * from before budgets: the worker's `fetchTimeoutMs` then.
     */
    fetchTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
  },
  { additionalProperties: false },
);

/** The data of one evaluation job: everything a worker needs besides the run's config. */
export type EvaluationJobData = Static<typeof evaluationJobSchema>;

/**
 * Checks a job's data against {@link evaluationJobSchema}.
 *
 * @returns The data, typed.
 * @throws ValidatorError `bad-job` naming the first bad field.
 * @example
 * const data = parseEvaluationJob(job.data);
 */
export function parseEvaluationJob(data: unknown): EvaluationJobData {
  if (Value.Check(evaluationJobSchema, data)) return data;
  const first = Value.Errors(evaluationJobSchema, data).First();
  throw new ValidatorError('bad-job', 'Evaluation job data is malformed.', {
    details: first ? `${first.path || '(root)'}: ${first.message}` : undefined,
  });
}
