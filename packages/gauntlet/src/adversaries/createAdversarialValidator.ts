import { epochOfWindow, sleep, windowOfBlock } from '@tessera/core';
import type { Logger, Shutdown, SubnetChain } from '@tessera/core';

/**
 * The gauntlet's validators that do not evaluate, each with its own stake and permit:
 *
 * - `weight-copier`: commits, once per epoch, the weights another validator revealed for the
 *   epoch before, as soon as they are revealed (weights are committed as a hash and revealed
 *   only in the next epoch, so nothing fresher can be copied);
 * - `idle`: does that once, then only reveals: a validator that stopped evaluating;
 * - `self-dealer`: commits all its weight on one uid (its own miner) every epoch.
 *
 * Each must earn less per unit of stake than an honest validator.
 */
export type AdversarialValidatorKind = 'weight-copier' | 'idle' | 'self-dealer';

/** Every {@link AdversarialValidatorKind}. */
export const adversarialValidatorKinds: readonly AdversarialValidatorKind[] = Object.freeze([
  'weight-copier',
  'idle',
  'self-dealer',
]);

/** Parameters of {@link createAdversarialValidator}. */
export type CreateAdversarialValidatorParameters = {
  kind: AdversarialValidatorKind;
  /** Its own chain connection (a registered validator). */
  chain: SubnetChain;
  /** `self-dealer`: the uid it puts all its weight on. */
  favourite?: number | undefined;
  logger: Logger;
  shutdown: Shutdown;
  /** How often to look at the chain. @default 1000 */
  pollMs?: number | undefined;
};

/** A running adversarial validator. */
export type AdversarialValidator = {
  readonly kind: AdversarialValidatorKind;
  /** Runs until shutdown; resolves then. */
  run(): Promise<void>;
  /** Epochs it committed weights for. */
  committed(): readonly number[];
};

/**
 * Starts one of the gauntlet's non-evaluating validators ({@link AdversarialValidatorKind}).
 *
 * @example
 * const copier = createAdversarialValidator({ kind: 'weight-copier', chain, logger, shutdown });
 * await copier.run();
 */
export function createAdversarialValidator(
  parameters: CreateAdversarialValidatorParameters,
): AdversarialValidator {
  const { kind, chain, logger, shutdown } = parameters;
  const pollMs = parameters.pollMs ?? 1000;
  if (kind === 'self-dealer' && !Number.isSafeInteger(parameters.favourite)) {
    throw new Error('A self-dealing validator needs the uid of its favourite.');
  }
  const committed: number[] = [];

  async function weightsFor(epoch: number): Promise<{ uids: number[]; weights: number[] } | undefined> {
    if (kind === 'self-dealer') return { uids: [parameters.favourite!], weights: [1] };
    if (kind === 'idle' && committed.length > 0) return undefined;
    if (epoch === 0) return undefined;
    const self = chain.address.toLowerCase();
    const source = (await chain.revealedWeights({ epoch: epoch - 1 })).find(
      (entry) => entry.validator.toLowerCase() !== self && entry.uids.length > 0,
    );
    return source && { uids: source.uids, weights: source.weights };
  }

  async function step(): Promise<void> {
    const timing = await chain.timing();
    const block = await chain.blockNumber();
    if (block < timing.startBlock) return;
    const epoch = epochOfWindow({ window: windowOfBlock({ block, ...timing }), ...timing });
    await chain.revealPendingWeights();
    if (committed.includes(epoch)) return;
    const weights = await weightsFor(epoch);
    if (weights === undefined) return;
    await chain.setWeights(weights);
    committed.push(epoch);
    logger.info('weights committed without evaluating', { kind, epoch, uids: weights.uids });
  }

  return {
    kind,
    async run() {
      while (!shutdown.signal.aborted) {
        try {
          await step();
        } catch (error) {
          if (shutdown.signal.aborted) break;
          logger.warn('adversarial validator step failed; trying again', { kind, error });
        }
        await sleep(pollMs, shutdown.signal).catch(() => undefined);
      }
    },
    committed: () => committed,
  };
}
