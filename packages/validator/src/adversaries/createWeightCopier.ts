import { epochOfWindow, sleep, windowOfBlock } from '@tessera/core';
import type { Logger, Shutdown, SubnetChain } from '@tessera/core';

/** Parameters of {@link createWeightCopier}. */
export type CreateWeightCopierParameters = {
  /** The copier's own chain connection (a registered validator with a permit). */
  chain: SubnetChain;
  logger: Logger;
  shutdown: Shutdown;
  /** How often to look at the chain. @default 1000 */
  pollMs?: number | undefined;
};

/** A weight copier: {@link CreateWeightCopierParameters}. */
export type WeightCopier = {
  /** Copies until shutdown; resolves then. */
  run(): Promise<void>;
  /** Epochs it committed copied weights for. */
  copied(): readonly number[];
};

/**
 * The gauntlet's weight-copying validator: evaluates nothing. Weights are committed as a
 * hash and revealed only in the next epoch, so the freshest weights it can copy are those
 * another validator revealed for the epoch before; it commits those, once per epoch, as soon
 * as they are revealed, and reveals its own commits when due. Its dividends per unit of
 * stake must stay below an honest validator's.
 *
 * @example
 * const copier = createWeightCopier({ chain, logger, shutdown });
 * await copier.run();
 */
export function createWeightCopier(parameters: CreateWeightCopierParameters): WeightCopier {
  const { chain, logger, shutdown } = parameters;
  const pollMs = parameters.pollMs ?? 1000;
  const copied: number[] = [];

  async function step(): Promise<void> {
    const timing = await chain.timing();
    const block = await chain.blockNumber();
    if (block < timing.startBlock) return;
    const epoch = epochOfWindow({ window: windowOfBlock({ block, ...timing }), ...timing });
    await chain.revealPendingWeights();
    if (epoch === 0 || copied.includes(epoch)) return;
    const revealed = (await chain.revealedWeights({ epoch: epoch - 1 })).filter(
      (entry) => entry.validator.toLowerCase() !== chain.address.toLowerCase() && entry.uids.length > 0,
    );
    const source = revealed[0];
    if (source === undefined) return;
    await chain.setWeights({ uids: source.uids, weights: source.weights });
    copied.push(epoch);
    logger.info('copied weights', { epoch, from: source.validatorUid, ofEpoch: epoch - 1 });
  }

  return {
    async run() {
      while (!shutdown.signal.aborted) {
        try {
          await step();
        } catch (error) {
          if (shutdown.signal.aborted) break;
          logger.warn('weight copier step failed; trying again', { error });
        }
        await sleep(pollMs, shutdown.signal).catch(() => undefined);
      }
    },
    copied: () => copied,
  };
}
