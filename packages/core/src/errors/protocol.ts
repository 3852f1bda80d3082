import { NonRetryableError, NonRetryableReasonError } from '@tessera/errors';
import type { BaseErrorParameters } from '@tessera/errors';

/** One bad hyperparameter. */
export type HyperparameterIssue = {
  /** Where in the input, as a JSON pointer: `/topK`; empty for the input itself. */
  path: string;
  /** What was expected. */
  message: string;
  /** What was received. */
  value: unknown;
};

/**
 * The run's hyperparameters are invalid; `issues` lists every bad field at once.
 *
 * @example
 * try { parseHyperparameters(input) } catch (error) {
 *   if (error instanceof HyperparametersError) for (const issue of error.issues) console.error(issue.path, issue.message);
 * }
 */
export class HyperparametersError extends NonRetryableError {
  override name = 'HyperparametersError';
  readonly issues: readonly HyperparameterIssue[];

  constructor(issues: readonly HyperparameterIssue[]) {
    super(`Invalid hyperparameters: ${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}.`, {
      metaMessages: issues.map(
        (issue) => `  ${issue.path || '(input)'}: ${issue.message} (got ${shown(issue.value)})`,
      ),
      hint: 'Every miner and validator of a run must use the same hyperparameters; start from a preset (tiny, gpu).',
    });
    this.issues = Object.freeze(issues.map((issue) => Object.freeze({ ...issue })));
  }
}

/**
 * Why an aggregation was refused.
 *
 * - `invalid-parameter`: the base is not a Float32Array, or the learning rate is not finite.
 * - `duplicate-uid`: two updates carry the same uid.
 * - `length-mismatch`: an update's indices and values differ in length.
 * - `index-out-of-range`: an index past the end of the parameter vector.
 * - `unsorted-index`: an update's indices are not strictly ascending.
 * - `non-finite`: a NaN or infinite value in an update.
 */
export type AggregationReason =
  | 'invalid-parameter'
  | 'duplicate-uid'
  | 'length-mismatch'
  | 'index-out-of-range'
  | 'unsorted-index'
  | 'non-finite';

/**
 * Updates could not be applied to the model: the set is malformed. No retry can help.
 *
 * @example
 * throw new AggregationError('duplicate-uid', 'Two updates have uid 3.');
 */
export class AggregationError extends NonRetryableReasonError<AggregationReason> {
  override name = 'AggregationError';
}

/**
 * A protocol function (windows, epochs, deadlines) got an argument out of range: a block
 * before the start block, a non-integer, a result past 2^53.
 *
 * @example
 * throw new ProtocolParameterError('block', 'block must not precede startBlock.', { details: '5 < 10' });
 */
export class ProtocolParameterError extends NonRetryableError {
  override name = 'ProtocolParameterError';
  /** The parameter that was wrong. */
  readonly parameter: string;

  constructor(parameter: string, shortMessage: string, parameters: BaseErrorParameters = {}) {
    super(shortMessage, parameters);
    this.parameter = parameter;
  }
}

/** A timing field the run config and the chain must agree on, with both values. */
export type TimingDifference = {
  field: 'blocksPerWindow' | 'windowsPerEpoch' | 'deadlineGraceBlocks';
  /** The value in the run config. */
  run: number;
  /** The value the chain reports. */
  chain: number;
};

/**
 * The run config's window timing disagrees with the chain's; `differences` lists every
 * field that differs. The chain's timing is the one that counts, so the role must not run.
 *
 * @example
 * throw new TimingMismatchError([{ field: 'blocksPerWindow', run: 10, chain: 20 }]);
 */
export class TimingMismatchError extends NonRetryableError {
  override name = 'TimingMismatchError';
  readonly differences: readonly TimingDifference[];

  constructor(differences: readonly TimingDifference[]) {
    super("The run config's timing disagrees with the chain's.", {
      metaMessages: differences.map((d) => `  ${d.field}: ${d.run} in the run config, ${d.chain} on chain`),
      hint: 'Use the run config this subnet was deployed with.',
    });
    this.differences = Object.freeze(differences.map((d) => Object.freeze({ ...d })));
  }
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return String(value);
  }
}
