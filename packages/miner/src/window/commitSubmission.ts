import { NonRetryableChainError, digestUpdate } from '@tessera/core';
import type { Hex32, Logger, SubnetChain, TxReceipt, UpdateStore } from '@tessera/core';
import type { ReleaseQueue, SealedUpdate } from '../createReleaseQueue.js';
import { MinerError } from '../errors/miner.js';
import type { Submission } from '../strategies/types.js';
import type { MinerMetrics } from './minerMetrics.js';

/** Parameters of {@link commitSubmission}. */
export type CommitSubmissionParameters = {
  chain: SubnetChain;
  store: UpdateStore;
  releases: ReleaseQueue;
  metrics: Pick<MinerMetrics, 'commitSeconds'>;
  logger: Logger;
  signal: AbortSignal;
  waitOptions: { pollMs?: number };
  window: number;
  uid: number;
  deadline: number;
  submission: Submission;
  /** `modelHash(θ_w)`, committed unless the submission names another. */
  thetaHash: Hex32;
  strategyName: string;
  /** Called as the step goes from waiting for a block to committing. */
  onState: (state: 'waiting' | 'committing') => void;
};

/** How the commitment went. */
export type CommitOutcome =
  | {
      status: 'committed';
      receipt: TxReceipt;
      /** Length of the submission's bytes, if it had any. */
      bytes: number | undefined;
      /** Whether the miner uploads those bytes itself (not a URI the strategy named). */
      uploaded: boolean;
    }
  | { status: 'already-committed' }
  | { status: 'rejected' };

/**
 * Step 5 of the miner's window: settles the digest and URI to commit, holds the bytes in the
 * release queue (they go up to the store once the deadline has passed: `createReleaseQueue`),
 * waits for the strategy's commit block if it named one, and commits
 * `(window, digest, uri, modelHash)`. A commitment the chain already holds or rejects
 * drops the held bytes; the bytes of one that landed are released.
 *
 * @throws MinerError `not-registered` when the hotkey lost its uid, `invalid-parameter` when
 *   the strategy gave neither bytes nor a digest and URI; other chain errors.
 * @example
 * const outcome = await commitSubmission({ ...step, submission, thetaHash });
 */
export async function commitSubmission(parameters: CommitSubmissionParameters): Promise<CommitOutcome> {
  const { chain, store, releases, logger, signal, waitOptions, window, uid, deadline, submission } =
    parameters;
  parameters.onState('committing');
  const { bytes } = submission;
  let uri = submission.uri;
  let sealed: SealedUpdate | undefined;
  if (bytes !== undefined && uri === undefined) {
    // Bytes the miner sends itself are not uploaded before the deadline: their URI is the one
    // the store will hand out for them.
    const key = `w${String(window).padStart(6, '0')}/uid-${uid}.tsu`;
    uri = store.uriOf({ key });
    sealed = { window, deadline, key, uri };
  }
  const digest = submission.digest ?? (bytes === undefined ? undefined : digestUpdate(bytes));
  if (uri === undefined || digest === undefined) {
    throw new MinerError(
      'invalid-parameter',
      'The strategy gave neither bytes nor a digest and URI to commit.',
      {
        details: `strategy ${parameters.strategyName}, window ${window}`,
      },
    );
  }
  if (sealed !== undefined) await releases.hold({ update: sealed, bytes: bytes! });

  if (submission.commitAtBlock !== undefined) {
    parameters.onState('waiting');
    await chain.waitForBlock({ block: submission.commitAtBlock, signal, ...waitOptions });
  }
  parameters.onState('committing');
  const started = performance.now();
  try {
    const outcome = await chain.commit({
      window,
      digest,
      uri,
      modelHash: submission.modelHash ?? parameters.thetaHash,
    });
    if (outcome.status === 'already-committed') {
      if (sealed !== undefined) await releases.drop(sealed);
      logger.warn('the chain already holds a commitment of this uid for the window', { window });
      return { status: 'already-committed' };
    }
    parameters.metrics.commitSeconds.observe((performance.now() - started) / 1000);
    if (sealed !== undefined) releases.release(sealed);
    return {
      status: 'committed',
      receipt: outcome.receipt,
      bytes: bytes?.length,
      uploaded: sealed !== undefined,
    };
  } catch (error) {
    if (sealed !== undefined) await releases.drop(sealed);
    if (error instanceof NonRetryableChainError && error.reason === 'not-registered') {
      throw new MinerError('not-registered', 'The hotkey lost its uid (pruned?).', { cause: error });
    }
    if (error instanceof NonRetryableChainError && error.reason === 'rejected') {
      logger.warn('commitment rejected by the chain', { window, chainCode: error.chainCode, error });
      return { status: 'rejected' };
    }
    throw error;
  }
}
