import { encodeWindowVerdicts, windowVerdictsUri } from '@tessera/core';
import type { Hex32, UidVerdict } from '@tessera/core';
import type { EvaluationResult } from '../evaluateUpdate.js';
import { modelFileKey } from './createModelFiles.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link publishVerdicts}. */
export type PublishVerdictsParameters = Pick<
  WindowServices,
  'chain' | 'store' | 'redis' | 'keys' | 'logger' | 'signal'
> & {
  window: number;
  /** The aggregation set about to be published, ascending. */
  uids: readonly number[];
  /** modelHash(θ_{w+1}): names the model file the verdicts lie beside. */
  hash: Hex32;
  /** The model file's URI (`ModelFiles.put` of window + 1). */
  modelUri: string;
};

/**
 * Step 10, before the aggregate goes on chain: writes the window's verdicts (every uid the
 * window scored, as `applyWindowScores` recorded them in Redis: verdict or reason, score,
 * loss gain on the unseen pages, whether aggregated) as a verdicts file beside θ_{w+1}'s model
 * file, at the URI every reader derives from the aggregate's (`windowVerdictsUri`). Readers
 * check it against the aggregate record (`parseWindowVerdicts`). A file that cannot be written
 * is logged; the aggregate is published anyway.
 *
 * @returns The file's URI, or undefined when it was not written.
 * @example
 * await publishVerdicts({ ...services, window: w, uids: next.uids, hash: next.hash, modelUri });
 */
export async function publishVerdicts(parameters: PublishVerdictsParameters): Promise<string | undefined> {
  const { chain, store, redis, keys, logger, signal, window, hash, modelUri } = parameters;
  const uids = [...parameters.uids];
  const set = new Set(uids);
  try {
    const recorded = await redis.hgetall(keys.results(window));
    const verdicts: UidVerdict[] = Object.entries(recorded)
      .map(([uid, json]) => toUidVerdict(Number(uid), JSON.parse(json) as EvaluationResult, set))
      .sort((a, b) => a.uid - b.uid);
    const { bytes, digest } = encodeWindowVerdicts({
      window,
      validator: chain.address,
      modelHash: hash,
      uids,
      verdicts,
    });
    const key = modelFileKey({ window: window + 1, hash }).replace(/\.ckpt$/, '.verdicts.json');
    const uri = store.uriOf({ key });
    if (uri !== windowVerdictsUri(modelUri)) {
      logger.warn('the store names the verdicts file where readers will not look; not written', {
        uri,
        modelUri,
      });
      return undefined;
    }
    await store.put({ key, bytes, signal });
    logger.info('verdicts published', { uri, digest, uids: verdicts.length });
    return uri;
  } catch (error) {
    if (signal.aborted) throw error;
    logger.warn('verdicts file not written', { error });
    return undefined;
  }
}

/** One recorded verdict as the file writes it. */
function toUidVerdict(uid: number, result: EvaluationResult, set: ReadonlySet<number>): UidVerdict {
  const unseen = result.losses?.unseen;
  const lossGain = unseen === undefined ? null : unseen.before - unseen.after;
  return {
    uid,
    status: result.status,
    reason: result.status === 'scored' ? null : (result.reason ?? 'unknown'),
    score: result.status === 'scored' ? result.score : 0,
    lossGain: lossGain !== null && Number.isFinite(lossGain) ? lossGain : null,
    inAggregate: set.has(uid),
  };
}
