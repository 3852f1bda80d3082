import { epochOfWindow } from '@tessera/core';
import { computeWeights } from '../computeWeights.js';
import { readScores } from '../readScores.js';
import { chainWrite } from './chainWrite.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link closeEpoch}. */
export type CloseEpochParameters = Pick<
  WindowServices,
  'chain' | 'hyperparameters' | 'redis' | 'keys' | 'metrics' | 'logger' | 'signal' | 'uid'
> & {
  /** The window just processed (or skipped). */
  window: number;
  /** Whether this validator holds a permit. @default read from the metagraph when weights are due */
  permitted?: boolean | undefined;
};

/**
 * Step 11, after each window however it went: weights once per epoch (with a permit), then
 * settlement of every epoch whose settlement is open.
 *
 * A commit counts for the epoch it lands in, and window w is processed during window w + 1,
 * so the weights of epoch E are committed after its second-to-last window (during its last
 * one): scores through that window, committed inside E. Committing after E's last window
 * would land in E + 1, leaving E to whoever else set weights in it (a self-dealer, say).
 * With one window per epoch no window of E is processed inside E: the weights come after
 * E's window and count for E + 1. The epoch is claimed in Redis's `weights-epochs` before the
 * transaction (released when it fails), so a restart never sets weights twice; no positive
 * average means no weights. Epochs after `settled-epoch` are settled in order.
 *
 * @example
 * await closeEpoch({ ...services, window: w, permitted });
 */
export async function closeEpoch(parameters: CloseEpochParameters): Promise<void> {
  const { chain, hyperparameters: h, window } = parameters;
  const perEpoch = h.windowsPerEpoch;
  const commitNow = perEpoch >= 2 ? (window + 2) % perEpoch === 0 : true;
  if (commitNow) {
    const epoch = epochOfWindow({ window: window + 1, windowsPerEpoch: perEpoch });
    const hasPermit =
      parameters.permitted ??
      (await chain.metagraph()).neurons.find((neuron) => neuron.uid === parameters.uid)?.validatorPermit ===
        true;
    if (hasPermit) await setWeightsOnce(parameters, epoch);
  }
  // Window w + 1 is under way, in epoch F: epochs up to F − 2 are open for settlement.
  await settleEpochs(parameters, epochOfWindow({ window: window + 1, windowsPerEpoch: perEpoch }) - 2);
}

async function setWeightsOnce(parameters: CloseEpochParameters, epoch: number): Promise<void> {
  const { chain, hyperparameters: h, redis, keys, metrics, logger } = parameters;
  // Claim the epoch before sending: a crash after the claim loses one epoch's weights at
  // worst, and never sets them twice.
  if ((await redis.sadd(keys.weightsEpochs, String(epoch))) === 0) {
    logger.info('weights for this epoch were set before', { epoch });
    return;
  }
  const weights = computeWeights({ scores: await readScores({ redis, keys }), power: h.weightPower });
  if (weights === undefined) {
    logger.info('no positive scores: no weights set', { epoch });
    return;
  }
  const ok = await chainWrite({
    ...parameters,
    operation: 'set_weights',
    write: () => chain.setWeights(weights),
  });
  if (ok) {
    metrics.weightsSet.inc();
    metrics.weightsSetAt.set(Date.now() / 1000);
    logger.info('weights set', { epoch, uids: weights.uids, weights: weights.weights });
  } else {
    await redis.srem(keys.weightsEpochs, String(epoch));
  }
}

async function settleEpochs(parameters: CloseEpochParameters, epoch: number): Promise<void> {
  const { chain, redis, keys, logger } = parameters;
  const settled = Number((await redis.get(keys.settledEpoch)) ?? '-1');
  // Epoch e settles from the first block of epoch e + 2 (its weights are revealed during
  // e + 1). `epoch` is one whose settlement is open; for epochs up to it "nothing to do"
  // means settled already.
  for (let e = Number.isSafeInteger(settled) ? settled + 1 : 0; e <= epoch; e++) {
    let didSettle = false;
    const ok = await chainWrite({
      ...parameters,
      operation: 'settle_epoch',
      write: async () => {
        didSettle = (await chain.settleEpoch({ epoch: e })).status === 'settled';
      },
    });
    if (!ok) return;
    if (didSettle) logger.info('epoch settled', { epoch: e });
    await redis.set(keys.settledEpoch, String(e));
  }
}
