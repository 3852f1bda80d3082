import { noiseDelta } from './noiseDelta.js';
import type { Strategy } from '@tessera/miner';

/**
 * Trains nothing: sends a well-formed update of the honest size whose values are random
 * normal noise, sized like `innerSteps` AdamW steps (`std = innerLearningRate · √innerSteps`).
 * It decodes and is in sync, so only its loss can tell it apart: it must score no better
 * than doing nothing.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: noise });
 */
export const noise: Strategy = (context) => {
  const { hyperparameters: h } = context;
  const delta = noiseDelta({
    length: context.shardRange.length,
    std: h.innerLearningRate * Math.sqrt(h.innerSteps),
    random: () => context.random(),
  });
  const { compressed } = context.compress(delta);
  return Promise.resolve({ bytes: context.encode(compressed), note: 'noise' });
};
