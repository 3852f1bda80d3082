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

/** A value for an error line: its JSON, cut at 100 characters (a 32-byte hex seed fits whole). */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 100 ? `${text.slice(0, 97)}...` : text;
  } catch {
    return String(value);
  }
}

/** A run config field that differs from the subnet's reference config, with both values. */
export type RunConfigDifference = {
  /** A hyperparameter name: `runSeed`, `modelPreset`, `dataset`, … */
  field: string;
  /** The value in the local run config; undefined when it has none. */
  run: unknown;
  /** The value in the subnet's reference config; undefined when it has none. */
  reference: unknown;
};

/**
 * The local run config's hash is not the one the chain records for the subnet: the role would
 * train or score another run and every update of it would come out `out-of-sync`. `differences`
 * names the fields that differ when a reference config was at hand (the deployment file's).
 *
 * @example
 * throw new RunConfigMismatchError({ run: '0x12…', chain: '0x34…', differences: [] });
 */
export class RunConfigMismatchError extends NonRetryableError {
  override name = 'RunConfigMismatchError';
  /** The local run config's hash. */
  readonly run: `0x${string}`;
  /** The hash the chain records. */
  readonly chain: `0x${string}`;
  readonly differences: readonly RunConfigDifference[];

  constructor(parameters: {
    run: `0x${string}`;
    chain: `0x${string}`;
    differences: readonly RunConfigDifference[];
    /** Where the right config can be had, for the hint. */
    source?: string | undefined;
  }) {
    const { run, chain, differences } = parameters;
    super('The run config is not the one this subnet records on chain.', {
      metaMessages: [
        `  run config hash: ${run}`,
        `  on-chain hash:   ${chain}`,
        ...differences.map(
          (d) => `  ${d.field}: ${shown(d.run)} in the run config, ${shown(d.reference)} in the subnet's`,
        ),
      ],
      hint:
        parameters.source === undefined
          ? "Get the subnet's run.json from its owner (its hash must be the on-chain one; `tessera init` prints a file's hash) and pass it with --run."
          : `Use the subnet's run config (${parameters.source}) with --run; \`tessera init\` prints a file's hash.`,
    });
    this.run = run;
    this.chain = chain;
    this.differences = Object.freeze(differences.map((d) => Object.freeze({ ...d })));
  }
}
