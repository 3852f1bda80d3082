import { decodeUpdate, digestUpdate } from '@tessera/core';
import { perturbCopy } from './perturbCopy.js';
import type { Strategy } from '@tessera/miner';
import { waitForOtherCommitment } from './waitForOtherCommitment.js';

/**
 * Trains nothing: waits for another miner's commitment, downloads its update, and sends a
 * near copy of it (each value moved by up to 0.1 %, re-encoded for its own window and
 * shard) under a new digest, as one operator running many hotkeys on one update would.
 * Updates are uploaded only after the deadline, so there is nothing to read in time and it
 * commits nothing (`missing`); a copy that did get through would be scored on its residual
 * by the copy rule and kept out of the aggregate. Commits nothing when no one else commits
 * in time or the copied update cannot be read or does not check out.
 *
 * @example
 * const miner = createMiner({ ...parameters, strategy: sybil });
 */
export const sybil: Strategy = async (context) => {
  const { hyperparameters: h } = context;
  const victim = await waitForOtherCommitment(context);
  if (victim === undefined) {
    context.logger.info('sybil found no commitment to copy', { window: context.window });
    return undefined;
  }
  let bytes: Uint8Array;
  try {
    bytes = await context.download(victim.uri);
  } catch (error) {
    // Updates are uploaded only after the deadline: before it there is nothing to read.
    context.logger.info('sybil could not read the update it meant to copy', { uid: victim.uid, error });
    return undefined;
  }
  if (digestUpdate(bytes) !== victim.digest.toLowerCase()) {
    context.logger.info('sybil skipped an update that does not match its digest', { uid: victim.uid });
    return undefined;
  }
  let decoded;
  try {
    decoded = decodeUpdate({
      bytes,
      expected: {
        maxBytes: h.maxUpdateBytes,
        parameterCount: context.parameterCount,
        shards: h.shards,
        chunkSize: h.chunkSize,
        topK: h.topK,
        bits: h.quantBits,
      },
    });
  } catch (error) {
    context.logger.info('sybil skipped an update that does not decode', { uid: victim.uid, error });
    return undefined;
  }
  const delta = perturbCopy({
    update: decoded,
    sourceOffset: decoded.header.shardOffset,
    length: context.shardRange.length,
    jitter: 1e-3,
    random: () => context.random(),
  });
  const { compressed } = context.compress(delta);
  return { bytes: context.encode(compressed), note: `near copy of uid ${victim.uid}` };
};
