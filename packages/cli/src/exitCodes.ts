import {
  ConfigError,
  HyperparametersError,
  RunConfigMismatchError,
  TimingMismatchError,
  isChainError,
} from '@tessera/core';

/**
 * The exit codes of every `tessera` command; docs/operators.md ("Exit codes") lists them for
 * scripts and supervisors.
 *
 * - `ok` (0): done, or a long-running role stopped by its first SIGINT or SIGTERM;
 * - `failure` (1): anything that went wrong at run time (an unreachable node, a bad file,
 *   a crash);
 * - `usage` (2): the command line, environment or config file is wrong (an unknown command or
 *   flag, a bad value, a missing key), found before anything connects; or the run config is
 *   invalid or not the subnet's (its hash or timing differs from the chain's), which no
 *   restart mends;
 * - `refused` (3): the chain said no (a reverted or invalid transaction, too little balance,
 *   already or not registered), or the user declined a confirmation;
 * - `interrupted` (130): stopped by a signal before it could finish (128 + SIGINT's 2).
 */
export const exitCodes = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  refused: 3,
  interrupted: 130,
} as const);

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Chain reasons that mean the chain refused what was asked, not that it could not be asked. */
const refusedReasons: ReadonlySet<string> = new Set([
  'rejected',
  'insufficient-funds',
  'already-registered',
  'not-registered',
]);

/** Errors that say the run config file is wrong: a restart with the same file fails again. */
const runConfigErrors = [HyperparametersError, RunConfigMismatchError, TimingMismatchError] as const;

/**
 * The exit code for an error a command threw: a ConfigError (a key or value the command found
 * wrong only once it ran) or a run config that is invalid or not the subnet's is a usage error
 * like those buildOptions finds; a chain error is
 * `refused` when the chain turned the request down; a chain error `aborted` or an
 * `AbortError` (a shutdown cut the operation short) is `interrupted`; anything else is a
 * `failure`.
 *
 * @example
 * exitCodeOf(new NonRetryableChainError('insufficient-funds', 'Cannot pay the burn.')); // 3
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof ConfigError || runConfigErrors.some((type) => error instanceof type))
    return exitCodes.usage;
  if (isChainError(error)) {
    if (refusedReasons.has(error.reason)) return exitCodes.refused;
    if (error.reason === 'aborted') return exitCodes.interrupted;
  }
  if (error instanceof Error && error.name === 'AbortError') return exitCodes.interrupted;
  return exitCodes.failure;
}
