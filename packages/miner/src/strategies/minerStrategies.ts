import { MinerError } from '../errors/miner.js';
import { copycat } from './copycat.js';
import { digestMismatch } from './digestMismatch.js';
import { honest } from './honest.js';
import { late } from './late.js';
import { lazy } from './lazy.js';
import { malformed } from './malformed.js';
import { noise } from './noise.js';
import { outOfSync } from './outOfSync.js';
import { replay } from './replay.js';
import { scaled } from './scaled.js';
import { sybil } from './sybil.js';
import type { Strategy } from './types.js';

/**
 * Every strategy a miner can run, by the name `--strategy` takes. `honest` is the real
 * miner; the others are the gauntlet's cheaters, each of which validators must score no
 * better than doing nothing. To add one: write it in its own file as a {@link Strategy},
 * add it here, and its name joins the CLI's choices.
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
} satisfies Record<string, Strategy>);

/** A name in {@link minerStrategies}. */
export type StrategyName = keyof typeof minerStrategies;

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
