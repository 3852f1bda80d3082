import { TimingMismatchError } from '../errors/protocol.js';
import type { TimingDifference } from '../errors/protocol.js';
import type { Hyperparameters } from './hyperparametersSchema.js';

/** Parameters of {@link checkRunTiming}. */
export type CheckRunTimingParameters = {
  /** The run config's hyperparameters. */
  hyperparameters: Pick<Hyperparameters, TimingDifference['field']>;
  /** The chain's timing (`SubnetChain.timing()`). */
  timing: Pick<Hyperparameters, TimingDifference['field']>;
};

/** The timing fields every party of a run must read the same from its run config and the chain. */
export const runTimingFields = ['blocksPerWindow', 'windowsPerEpoch', 'deadlineGraceBlocks'] as const;

/**
 * Refuses a run config whose window timing disagrees with the chain's: every party must
 * agree on windows, epochs and deadlines, and the chain's are the ones that count. Miners,
 * validators and the CLI call this at start.
 *
 * @throws TimingMismatchError listing every field that differs.
 * @example
 * checkRunTiming({ hyperparameters, timing: await chain.timing() });
 */
export function checkRunTiming(parameters: CheckRunTimingParameters): void {
  const { hyperparameters, timing } = parameters;
  const differences = runTimingFields
    .filter((field) => hyperparameters[field] !== timing[field])
    .map((field) => ({ field, run: hyperparameters[field], chain: timing[field] }));
  if (differences.length > 0) throw new TimingMismatchError(differences);
}
