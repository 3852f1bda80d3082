import { checkRunTiming } from '@tessera/core';

/**
 * Refuses to run when the run config's timing disagrees with the chain's. The rule is
 * core's {@link checkRunTiming}; this name stays only until `createValidator` calls that
 * directly, then this file goes.
 *
 * @deprecated Call `checkRunTiming` from `@tessera/core`.
 * @throws TimingMismatchError listing every field that differs.
 * @example
 * checkTiming({ hyperparameters, timing: await chain.timing() });
 */
export const checkTiming = checkRunTiming;
