import { copycat } from './copycat.js';
import { digestMismatch } from './digestMismatch.js';
import { MinerError, honest } from '@tessera/miner';
import { late } from './late.js';
import { lazy } from './lazy.js';
import { malformed } from './malformed.js';
import { noise } from './noise.js';
import { outOfSync } from './outOfSync.js';
import { replay } from './replay.js';
import { blendWith, partialCopy } from './blend.js';
import { fewerPages, fewerSteps } from './effort.js';
import { heldOutMix } from './heldOut.js';
import { scaled, scaledBy } from './scaled.js';
import { sybil } from './sybil.js';
import type { Strategy } from '@tessera/miner';

/**
 * Every strategy the devnet and the gauntlet can give a miner, by the name the devnet's
 * `--adversaries` takes. `honest` is the real miner (from `@tessera/miner`); the others are
 * the gauntlet's cheaters, each of which validators must score no better than doing nothing.
 * To add one: write it in its own file as a {@link Strategy}, add it here, and its name
 * joins the devnet's choices.
 */
export const minerStrategies = Object.freeze({
  honest,
  copycat,
  noise,
  replay,
  scaled,
  lazy,
  late,
  'digest-mismatch': digestMismatch,
  malformed,
  'out-of-sync': outOfSync,
  sybil,
  // Just under the old rule that rejected norms above 3 × the window's median.
  'scaled-under-cap': scaledBy(2.9),
  'held-out': heldOutMix(1),
  'held-out-scaled': heldOutMix(2.9),
  // Pulls down any norm statistic taken over the window's own submissions.
  'tiny-norm': scaledBy(1e-3),
  blend: blendWith({ ownFraction: 1 / 4, coverFraction: 0.9 }),
  'blend-full': blendWith({ ownFraction: 1, coverFraction: 0.9 }),
  'partial-copy': partialCopy({ ownFraction: 1 / 4, copyFraction: 1 / 2 }),
  'effort-1/8': fewerSteps(1 / 8),
  'effort-1/4': fewerSteps(1 / 4),
  'effort-1/2': fewerSteps(1 / 2),
  'few-pages': fewerPages(1 / 4),
} satisfies Record<string, Strategy>);

/** A name in {@link minerStrategies}. */
export type StrategyName = keyof typeof minerStrategies;

/**
 * The share of an honest miner's work each strategy does on its assigned pages (inner steps
 * × pages trained, as a fraction of `innerSteps` × `pagesPerWindow`), for reward per unit of
 * work. A strategy that trains pages it was not assigned, copies, or sends noise does none;
 * one that trains honestly and then changes or withholds the result did all of it.
 */
export const strategyWork: Readonly<Record<StrategyName, number>> = Object.freeze({
  honest: 1,
  copycat: 0,
  noise: 0,
  replay: 0,
  scaled: 1,
  lazy: 0,
  late: 1,
  'digest-mismatch': 1,
  malformed: 0,
  'out-of-sync': 1,
  sybil: 0,
  'scaled-under-cap': 1,
  'held-out': 1,
  'held-out-scaled': 1,
  'tiny-norm': 1,
  blend: 1 / 4,
  'blend-full': 1,
  'partial-copy': 1 / 4,
  'effort-1/8': 1 / 8,
  'effort-1/4': 1 / 4,
  'effort-1/2': 1 / 2,
  'few-pages': 1 / 4,
});

/** Every strategy name, `honest` first. */
export const strategyNames: readonly StrategyName[] = Object.freeze(
  Object.keys(minerStrategies) as StrategyName[],
);

/**
 * Looks up a strategy by name (from a flag or a config file).
 *
 * @throws MinerError `invalid-parameter` for an unknown name, listing the known ones.
 * @example
 * const strategy = getStrategy({ name: options.strategy });
 */
export function getStrategy(parameters: { name: string }): Strategy {
  const { name } = parameters;
  if (!Object.hasOwn(minerStrategies, name)) {
    throw new MinerError('invalid-parameter', `Unknown strategy "${name}".`, {
      details: `Known strategies: ${strategyNames.join(', ')}.`,
    });
  }
  return minerStrategies[name as StrategyName];
}
