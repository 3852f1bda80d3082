import { ValidatorError } from './errors/validator.js';

/** Parameters of {@link createBlockTimer}. */
export type CreateBlockTimerParameters = {
  /** Milliseconds per block to assume until the chain has been watched long enough. */
  fallbackMs: number;
  /** Blocks the observations must span before they replace the fallback. @default 8 */
  minSpanBlocks?: number | undefined;
  /** Observations kept, newest last. @default 64 */
  keep?: number | undefined;
  /** The clock, in milliseconds; tests swap it. @default Date.now */
  now?: (() => number) | undefined;
};

/** Watches the chain's head and says how long a block takes; see {@link createBlockTimer}. */
export type BlockTimer = {
  /** Records that the head was `block` now. */
  observe(block: number): void;
  /** Milliseconds per block over the kept observations, or the fallback while they span too few blocks. */
  msPerBlock(): number;
};

/**
 * Measures the chain's block time from the heads the validator sees as it goes, so budgets in
 * blocks (the time between a window's deadline and the validator's publish cutoff) become
 * milliseconds on any chain: 12 s on Bittensor, 1 s on the devnet. The chain has no wall
 * clock the roles share; this one is the validator's own and needs nobody's trust.
 *
 * An observation is taken when the head is read, up to one block after that block was made,
 * so the estimate errs by at most one block over the span (8 blocks at least, up to the last
 * `keep` observations). A stalled chain makes blocks look longer, which is right: the
 * cutoff is counted in blocks.
 *
 * @example
 * const blockTimer = createBlockTimer({ fallbackMs: 12_000 });
 * blockTimer.observe(await chain.blockNumber());
 * const ms = blockTimer.msPerBlock();
 */
export function createBlockTimer(parameters: CreateBlockTimerParameters): BlockTimer {
  const { fallbackMs } = parameters;
  const minSpanBlocks = parameters.minSpanBlocks ?? 8;
  const keep = parameters.keep ?? 64;
  const now = parameters.now ?? Date.now;
  if (!(Number.isFinite(fallbackMs) && fallbackMs > 0)) {
    throw new ValidatorError('invalid-parameter', 'fallbackMs must be a positive number of milliseconds.', {
      details: `got ${fallbackMs}`,
    });
  }
  if (!(
    Number.isSafeInteger(minSpanBlocks) &&
    minSpanBlocks >= 1 &&
    Number.isSafeInteger(keep) &&
    keep >= 2
  )) {
    throw new ValidatorError('invalid-parameter', 'minSpanBlocks must be at least 1 and keep at least 2.', {
      details: `minSpanBlocks ${minSpanBlocks}, keep ${keep}`,
    });
  }
  /** For each block seen, the first time it was seen, ascending by block. */
  const seen: { block: number; at: number }[] = [];
  return {
    observe(block) {
      const last = seen.at(-1);
      if (last !== undefined && block <= last.block) return;
      seen.push({ block, at: now() });
      if (seen.length > keep) seen.shift();
    },
    msPerBlock() {
      const first = seen[0];
      const last = seen.at(-1);
      if (first === undefined || last === undefined || last.block - first.block < minSpanBlocks)
        return fallbackMs;
      return Math.max(1, (last.at - first.at) / (last.block - first.block));
    },
  };
}
