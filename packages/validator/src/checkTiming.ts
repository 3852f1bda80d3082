import type { Hyperparameters, SubnetTiming } from '@tessera/core';
import { ValidatorError } from './errors/validator.js';

/**
 * Refuses to run when the run config's timing disagrees with the chain's: every party must
 * agree on windows and deadlines, and the chain's are the ones that count.
 *
 * @throws ValidatorError `timing_mismatch` listing every field that differs.
 * @example
 * checkTiming({ hyperparameters, timing: await chain.timing() });
 */
export function checkTiming(parameters: { hyperparameters: Hyperparameters; timing: SubnetTiming }): void {
  const { hyperparameters, timing } = parameters;
  const fields = ['blocksPerWindow', 'windowsPerEpoch', 'deadlineGraceBlocks'] as const;
  const differing = fields.filter((field) => hyperparameters[field] !== timing[field]);
  if (differing.length > 0) {
    throw new ValidatorError('timing_mismatch', "The run config's timing disagrees with the chain's.", {
      details: differing
        .map((field) => `${field}: ${hyperparameters[field]} in the run config, ${timing[field]} on chain`)
        .join('; '),
      hint: 'Use the run config this subnet was deployed with.',
    });
  }
}
