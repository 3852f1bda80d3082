/** Parameters of {@link weightRevealBlocks}. */
export type WeightRevealBlocksParameters = {
  netuid: number;
  /** The subnet's `Tempo`. */
  tempo: number;
  /** The subnet's `RevealPeriodEpochs`. */
  revealPeriod: number;
  /** Block that included `commit_weights`. */
  commitBlock: number;
};

/**
 * The blocks in which subtensor accepts the reveal of a weight commit: the whole subnet epoch
 * `epoch(commitBlock) + revealPeriod`, where `epoch(b) = floor((b + netuid + 1) / (tempo + 1))`
 * (subtensor's `get_epoch_index`; each subnet's epochs are offset by its netuid). After the last
 * block the commit has expired.
 *
 * @returns The first and last block of the reveal epoch, inclusive.
 * @example
 * weightRevealBlocks({ netuid: 1, tempo: 10, revealPeriod: 1, commitBlock: 25 }); // { first: 31, last: 41 }
 */
export function weightRevealBlocks(parameters: WeightRevealBlocksParameters): {
  first: number;
  last: number;
} {
  const { netuid, tempo, revealPeriod, commitBlock } = parameters;
  const length = tempo + 1;
  const offset = netuid + 1;
  const revealEpoch = Math.floor((commitBlock + offset) / length) + revealPeriod;
  const first = Math.max(0, revealEpoch * length - offset);
  return { first, last: first + tempo };
}
