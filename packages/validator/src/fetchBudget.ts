import { ValidatorError } from './errors/validator.js';

/** Parameters of {@link fetchBudget}. */
export type FetchBudgetParameters = {
  /** The chain's head when the window's jobs are enqueued. */
  head: number;
  /** The block at which the validator stops waiting for the window's verdicts. */
  cutoffBlock: number;
  /** How long a block takes, in milliseconds (`BlockTimer.msPerBlock`). */
  msPerBlock: number;
  /** Share of the time left before the cutoff that one download may take. @default 0.5 */
  fraction?: number | undefined;
  /** Longest any download may take, whatever the window leaves, in milliseconds. */
  maxMs: number;
  /** Shortest budget handed out, in milliseconds (never above `maxMs`). @default 1000 */
  minMs?: number | undefined;
};

/**
 * The time budget of each update download of a window: `fraction` of the time left between
 * the head and the publish cutoff, within `[minMs, maxMs]`. The budget covers the whole
 * download (connecting, the answer and every byte of the body), so a store that trickles its
 * bytes is cut off when it runs out, whatever its rate; with the byte cap `maxUpdateBytes` it
 * sets the slowest transfer rate an update of the largest size gets through at. The rest of
 * the time is left for evaluating what arrived near the end.
 *
 * @returns Milliseconds, a whole number of at least 1.
 * @example
 * const timeoutMs = fetchBudget({ head, cutoffBlock, msPerBlock: blockTimer.msPerBlock(), maxMs: 30_000 });
 */
export function fetchBudget(parameters: FetchBudgetParameters): number {
  const { head, cutoffBlock, msPerBlock, maxMs } = parameters;
  const fraction = parameters.fraction ?? 0.5;
  const minMs = parameters.minMs ?? 1_000;
  if (!(fraction > 0 && fraction <= 1) || !(msPerBlock > 0) || !(maxMs >= 1) || !(minMs >= 1)) {
    throw new ValidatorError('invalid-parameter', 'fetchBudget needs 0 < fraction ≤ 1 and positive times.', {
      details: `fraction ${fraction}, msPerBlock ${msPerBlock}, maxMs ${maxMs}, minMs ${minMs}`,
    });
  }
  const leftMs = Math.max(0, cutoffBlock - head) * msPerBlock;
  return Math.max(1, Math.floor(Math.min(maxMs, Math.max(minMs, fraction * leftMs))));
}
