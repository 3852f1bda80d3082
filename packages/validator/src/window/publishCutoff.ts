/**
 * The block at which the window loop stops waiting for window w's verdicts and publishes:
 * `publishMarginBlocks` before window w+2 starts, and never before the block after `deadline(w)`.
 *
 * @example
 * publishCutoff({ deadline: 22, nextStart: 40, publishMarginBlocks: 2 }); // 38
 */
export function publishCutoff(parameters: {
  deadline: number;
  nextStart: number;
  publishMarginBlocks: number;
}): number {
  return Math.max(parameters.deadline + 1, parameters.nextStart - parameters.publishMarginBlocks);
}
