import type { Aggregate, Checkpoint, Hex32, SubnetChain, SubnetTiming } from '../chain/types.js';
import type { Logger } from '../common/logger.js';
import { silentLogger } from '../common/logger.js';
import { NonRetryableSyncError, isSyncError } from '../errors/sync.js';
import type { Metrics } from '../metrics/createMetrics.js';
import { decodeCheckpoint } from '../model/decodeCheckpoint.js';
import { maxCheckpointHeaderBytes } from '../model/encodeCheckpoint.js';
import { initParameters } from '../model/initParameters.js';
import type { ModelConfig } from '../model/modelConfig.js';
import { parseModelConfig } from '../model/modelConfig.js';
import { modelHash } from '../model/modelHash.js';
import { parameterCount as countParameters } from '../model/parameterLayout.js';
import { aggregateUpdates } from '../protocol/aggregateUpdates.js';
import type { Hyperparameters } from '../protocol/hyperparametersSchema.js';
import type { StoreRouter } from '../storage/createStoreRouter.js';
import { downloadWithRetry } from './downloadWithRetry.js';
import { fetchAggregateMembers } from './fetchAggregateMembers.js';
import { waitForAggregate } from './waitForAggregate.js';

/** The chain reads model sync needs; any {@link SubnetChain} has them. */
export type ModelSyncChain = Pick<
  SubnetChain,
  'timing' | 'blockNumber' | 'blockHash' | 'waitForBlock' | 'aggregate' | 'commitments' | 'latestCheckpoint'
>;

/** Parameters of {@link createModelSync}. */
export type CreateModelSyncParameters = {
  chain: ModelSyncChain;
  /** Reads the URIs of committed updates and checkpoints (`createStoreRouter`). */
  router: Pick<StoreRouter, 'get'>;
  /** The run's hyperparameters: run seed, outer learning rate, compression, shards, byte cap. */
  hyperparameters: Hyperparameters;
  /** The model every participant of the run trains. */
  modelConfig: ModelConfig;
  /** @default silentLogger */
  logger?: Logger | undefined;
  /** Where the `sync_*` metrics go; none are kept without it. */
  metrics?: Metrics | undefined;
  /** Milliseconds between polls of the head while an aggregate is awaited. @default 1000 */
  pollMs?: number | undefined;
  /** Time limit of one download (an update or a checkpoint), in milliseconds. @default 30000 */
  downloadTimeoutMs?: number | undefined;
  /** Tries per download, the first included; only retryable store errors are tried again. @default 3 */
  downloadAttempts?: number | undefined;
  /** Delay before the second try of a download; doubles after each. @default 500 */
  downloadBackoffMs?: number | undefined;
};

/** What one {@link ModelSync.advanceTo} did. */
export type AdvanceResult = {
  /** The window whose starting model θ_window is now held. */
  window: number;
  /** `modelHash` of that model. */
  hash: Hex32;
  /** The window of the checkpoint loaded on the way, if one was. */
  checkpoint: number | undefined;
  /** Aggregates with a non-empty set that were applied. */
  applied: number;
  /** Windows whose set was empty or whose aggregate never came (the model did not change). */
  unchanged: number;
};

/**
 * Holds the global model θ_w of a run and brings it forward window by window; see
 * {@link createModelSync}.
 */
export type ModelSync = {
  /** The window whose starting model is held: `parameters` is θ_window. */
  readonly window: number;
  /**
   * θ_window as a flat vector in the order of `parameterLayout`. Never modified in place (each
   * window gets a fresh array), and must not be modified by the caller; copy it to change it.
   */
  readonly parameters: Float32Array;
  /** `modelHash(parameters)`. */
  readonly hash: Hex32;
  /**
   * Brings the held model to θ_window: loads the latest checkpoint when it lies between the
   * held window and the target, then applies each window's aggregate in turn. Waits for an
   * aggregate that is not published yet, until the window after next has started. Calls
   * run one after another. A target behind the held window starts over from θ_0 (or a
   * checkpoint).
   *
   * @throws NonRetryableSyncError `out-of-sync` when a replay does not reach the published
   *   hash and no newer checkpoint helps (the held model stays at the last good window);
   *   `aggregate-update-missing`, `aggregate-update-invalid`, `invalid-parameter`.
   * @throws RetryableSyncError `aggregate-update-unavailable`; ChainError from the chain; the
   *   signal's reason when it aborts.
   */
  advanceTo(parameters: { window: number; signal?: AbortSignal | undefined }): Promise<AdvanceResult>;
  /**
   * How the held model got from θ_window to θ_{window+1}: the aggregate it applied (its set
   * may be empty), `null` when none was on chain in time (θ unchanged), or `undefined` when
   * this sync did not step over that window itself (it loaded a checkpoint past it, was reset
   * or went back since, or the window is more than 64 windows behind). A miner reads from it
   * whether its update is in the model it trains from next.
   *
   * @example
   * await sync.advanceTo({ window: w + 1 });
   * const inModel = sync.followed({ window: w })?.uids.includes(uid); // undefined: unknown
   */
  followed(parameters: { window: number }): Aggregate | null | undefined;
  /**
   * Offers θ_window, built by the caller from the held θ_{window−1} (a validator's own
   * aggregate of window − 1), so the next `advanceTo` need not download and replay it again.
   * Sync adopts it only when the chain's lead aggregate of window − 1 names `hash` and
   * `modelHash(parameters)` is `hash`; otherwise (another validator's aggregate leads, none
   * came in time) it follows the chain as always. One offer is kept, the latest; one for a
   * window the sync has reached already is dropped. The array must not be modified afterwards.
   *
   * @example
   * sync.offer({ window: w + 1, parameters: next, hash: modelHash({ parameters: next }) });
   * await sync.advanceTo({ window: w + 1 }); // adopts `next` if the lead aggregate of w names its hash
   */
  offer(parameters: { window: number; parameters: Float32Array; hash: Hex32 }): void;
  /**
   * Drops the held model and goes back to θ_0 at window 0, so that the next `advanceTo` starts
   * from the latest checkpoint (or θ_0). What to do after `out-of-sync`.
   *
   * @throws NonRetryableSyncError `invalid-parameter` while an `advanceTo` runs.
   */
  reset(): void;
};

type Held = { window: number; parameters: Float32Array; hash: Hex32 };

/** How many of the last windows stepped over {@link ModelSync.followed} remembers. */
const followedWindows = 64;

/**
 * Creates the model sync a miner and a validator use to hold θ_w, as `docs/protocol.md`
 * defines it: θ_0 is the model preset's initialisation seeded with the run seed, and
 * θ_{w+1} is θ_w with the aggregate the chain reports for w applied by `aggregateUpdates`.
 *
 * Applying an aggregate downloads the committed update of each uid in its set, checks it
 * against its committed digest, decodes it strictly for the window and the uid's shard, sums
 * in ascending uid order, and checks the result against the published hash. An aggregate
 * that is not on chain when window w+2 starts (or that was included after) counts as an
 * empty set. When a replay fails and the chain's latest checkpoint lies past the failing
 * window, sync loads it and goes on; otherwise it throws `out-of-sync`.
 *
 * No TensorFlow.js: everything is plain Float32Array arithmetic, so every machine reaches
 * the same bits.
 *
 * @returns The sync, holding θ_0 at window 0.
 * @throws ModelError `invalid-config` for a bad model config; NonRetryableSyncError
 *   `invalid-parameter` for bad options.
 * @example
 * const sync = createModelSync({ chain, router, hyperparameters, modelConfig: modelPresets.tiny, logger });
 * const { window, hash } = await sync.advanceTo({ window: currentWindow, signal: shutdown.signal });
 * setParameters({ model, parameters: sync.parameters });
 */
export function createModelSync(parameters: CreateModelSyncParameters): ModelSync {
  const { chain, router, hyperparameters } = parameters;
  const config = parseModelConfig({ config: parameters.modelConfig });
  const logger = parameters.logger ?? silentLogger;
  const pollMs = option('pollMs', parameters.pollMs, 1000, 1);
  const timeoutMs = option('downloadTimeoutMs', parameters.downloadTimeoutMs, 30_000, 1);
  const attempts = option('downloadAttempts', parameters.downloadAttempts, 3, 1);
  const backoffMs = option('downloadBackoffMs', parameters.downloadBackoffMs, 500, 0);
  if (!/^0x[0-9a-fA-F]{64}$/.test(String(hyperparameters?.runSeed))) {
    throw new NonRetryableSyncError(
      'invalid-parameter',
      'hyperparameters.runSeed must be 32 bytes of 0x hex.',
      {
        hint: 'Pass the output of parseHyperparameters.',
      },
    );
  }
  const seed = BigInt(hyperparameters.runSeed);
  const count = countParameters({ config });
  const maxCheckpointBytes = 16 + maxCheckpointHeaderBytes + 3 + 4 * count;
  const metrics = parameters.metrics && {
    window: parameters.metrics.gauge({
      name: 'sync_window',
      help: 'Window whose starting model the sync holds.',
    }),
    aggregates: parameters.metrics.counter<'result'>({
      name: 'sync_aggregates_total',
      help: 'Windows the sync moved past, by result: applied, empty (empty set), absent (none published in time), model-file (a member unreachable: θ read from the aggregate’s model file), offered (θ the caller built and offered, named by the aggregate).',
      labelNames: ['result'],
    }),
    checkpoints: parameters.metrics.counter<'result'>({
      name: 'sync_checkpoints_total',
      help: 'Checkpoints the sync tried to load, by result: loaded, failed.',
      labelNames: ['result'],
    }),
    outOfSync: parameters.metrics.counter({
      name: 'sync_out_of_sync_total',
      help: 'Replays that did not reach the published model hash.',
    }),
  };

  let held: Held | undefined;
  // θ of a window the caller built itself: adopted when the lead aggregate names its hash.
  let offered: Held | undefined;
  // window → the aggregate that took the held model past it (null: none in time).
  const followed = new Map<number, Aggregate | null>();
  let timing: SubnetTiming | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let busy = false;

  const current = (): Held => {
    if (held === undefined) {
      const theta = initParameters({ config, seed });
      held = { window: 0, parameters: theta, hash: modelHash({ parameters: theta }) };
    }
    return held;
  };
  const hold = (next: Held) => {
    held = next;
    metrics?.window.set(next.window);
  };
  /** Holds θ_{window+1}, reached from θ_window by `aggregate` (null: none in time). */
  const step = (next: Held, aggregate: Aggregate | null) => {
    followed.set(next.window - 1, aggregate);
    for (const window of followed.keys()) if (window < next.window - followedWindows) followed.delete(window);
    hold(next);
  };

  const loadCheckpoint = async (checkpoint: Checkpoint, signal: AbortSignal | undefined): Promise<Held> => {
    const bytes = await downloadWithRetry({
      router,
      uri: checkpoint.uri,
      maxBytes: maxCheckpointBytes,
      timeoutMs,
      attempts,
      backoffMs,
      signal,
    });
    const loaded = decodeCheckpoint({
      bytes,
      expected: { config, window: checkpoint.window, modelHash: checkpoint.modelHash },
      path: checkpoint.uri,
    });
    return { window: loaded.window, parameters: loaded.parameters, hash: loaded.modelHash };
  };

  /**
   * θ_{w+1} from the model file behind the aggregate of w (a checkpoint file of window w+1
   * with the aggregate's hash), or undefined when it cannot be had.
   */
  const loadModelFile = async (
    aggregate: Aggregate,
    signal: AbortSignal | undefined,
  ): Promise<Held | undefined> => {
    try {
      return await loadCheckpoint(
        {
          window: aggregate.window + 1,
          modelHash: aggregate.modelHash,
          uri: aggregate.uri,
          validator: aggregate.validator,
          block: aggregate.block,
        },
        signal,
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      logger.warn('the aggregate’s model file is unusable too', {
        window: aggregate.window,
        uri: aggregate.uri,
        error,
      });
      return undefined;
    }
  };

  /** Loads the chain's latest checkpoint when it lies in (after, target]; true when it did. */
  const jumpToCheckpoint = async (
    after: number,
    target: number,
    tried: Set<string>,
    signal: AbortSignal | undefined,
  ): Promise<boolean> => {
    const checkpoint = await chain.latestCheckpoint();
    if (checkpoint === undefined || checkpoint.window <= after || checkpoint.window > target) return false;
    const key = `${checkpoint.window}:${checkpoint.modelHash}:${checkpoint.uri}`;
    if (tried.has(key)) return false;
    tried.add(key);
    try {
      hold(await loadCheckpoint(checkpoint, signal));
      // The checkpoint's θ says nothing of which aggregates made it.
      followed.clear();
      metrics?.checkpoints.inc({ result: 'loaded' });
      logger.info('checkpoint loaded', { window: checkpoint.window, modelHash: checkpoint.modelHash });
      return true;
    } catch (error) {
      if (signal?.aborted) throw error;
      metrics?.checkpoints.inc({ result: 'failed' });
      logger.warn('checkpoint unusable, replaying aggregates instead', {
        window: checkpoint.window,
        uri: checkpoint.uri,
        error,
      });
      return false;
    }
  };

  /** The offered θ_{w+1} when the aggregate of w names it (its hash checked), else undefined. */
  const takeOffer = (aggregate: Aggregate): Held | undefined => {
    const offer = offered;
    if (offer === undefined || offer.window !== aggregate.window + 1) return undefined;
    offered = undefined;
    if (offer.hash !== aggregate.modelHash.toLowerCase()) return undefined;
    if (modelHash({ parameters: offer.parameters }) !== offer.hash) {
      logger.warn('offered model does not hash to its hash; replaying instead', { window: offer.window });
      return undefined;
    }
    return offer;
  };

  /**
   * θ_{w+1} from θ_w and the non-empty aggregate of w: its members' updates replayed, or,
   * when a member's update cannot be had (its store is down or lost the file), the model
   * file behind the aggregate, as the lead validator published it. Either way the caller
   * checks the result against the published hash.
   */
  const replay = async (
    from: Held,
    aggregate: Aggregate,
    timing: SubnetTiming,
    signal: AbortSignal | undefined,
  ): Promise<{ parameters: Float32Array; hash: Hex32; via: 'applied' | 'model-file' | 'offered' }> => {
    const offer = takeOffer(aggregate);
    if (offer !== undefined) return { parameters: offer.parameters, hash: offer.hash, via: 'offered' };
    let updates: Awaited<ReturnType<typeof fetchAggregateMembers>>;
    try {
      updates = await fetchAggregateMembers({
        chain,
        router,
        timing,
        hyperparameters,
        parameterCount: count,
        aggregate,
        timeoutMs,
        attempts,
        backoffMs,
        signal,
      });
    } catch (error) {
      const unreachable =
        isSyncError(error) &&
        (error.reason === 'aggregate-update-unavailable' || error.reason === 'aggregate-update-missing');
      if (signal?.aborted || !unreachable || aggregate.uri === '') throw error;
      const loaded = await loadModelFile(aggregate, signal);
      if (loaded === undefined) throw error;
      logger.info('aggregate members unreachable; took θ from the aggregate’s model file', {
        window: aggregate.window,
        uri: aggregate.uri,
        reason: error.reason,
      });
      return { parameters: loaded.parameters, hash: loaded.hash, via: 'model-file' };
    }
    const parameters = aggregateUpdates({
      base: from.parameters,
      updates,
      learningRate: hyperparameters.outerLearningRate,
      normBound: aggregate.normBound,
    });
    return { parameters, hash: modelHash({ parameters }), via: 'applied' };
  };

  const advance = async (target: number, signal: AbortSignal | undefined): Promise<AdvanceResult> => {
    if (!Number.isSafeInteger(target) || target < 0) {
      throw new NonRetryableSyncError(
        'invalid-parameter',
        'The target window must be a non-negative integer.',
        {
          details: `window: ${String(target)}`,
        },
      );
    }
    signal?.throwIfAborted();
    if (target < current().window) {
      held = undefined;
      followed.clear();
    }
    const result: AdvanceResult = {
      window: current().window,
      hash: current().hash,
      checkpoint: undefined,
      applied: 0,
      unchanged: 0,
    };
    if (current().window === target) return result;
    timing ??= await chain.timing();
    const tried = new Set<string>();
    if (await jumpToCheckpoint(current().window, target, tried, signal)) result.checkpoint = current().window;

    while (current().window < target) {
      const from = current();
      const window = from.window;
      let next: Held;
      let followedAggregate: Aggregate;
      try {
        const aggregate = await waitForAggregate({ chain, timing, window, signal, pollMs });
        if (aggregate === undefined) {
          metrics?.aggregates.inc({ result: 'absent' });
          logger.debug('no aggregate in time, model unchanged', { window });
          step({ ...from, window: window + 1 }, null);
          result.unchanged++;
          continue;
        }
        const replayed =
          aggregate.uids.length > 0
            ? await replay(from, aggregate, timing, signal)
            : { parameters: from.parameters, hash: from.hash, via: 'empty' as const };
        const hash = replayed.hash;
        if (hash !== aggregate.modelHash.toLowerCase()) {
          metrics?.outOfSync.inc();
          throw new NonRetryableSyncError(
            'out-of-sync',
            'The replayed model does not match the published hash.',
            {
              window,
              details: `θ_${window + 1}: replayed ${hash}, published ${aggregate.modelHash} by ${aggregate.validator} (uids ${JSON.stringify(aggregate.uids)})`,
              hint: 'Call reset() and advance again; sync loads the next checkpoint once one is out.',
            },
          );
        }
        metrics?.aggregates.inc({ result: replayed.via });
        next = { window: window + 1, parameters: replayed.parameters, hash };
        followedAggregate = aggregate;
        if (aggregate.uids.length > 0) result.applied++;
        else result.unchanged++;
      } catch (error) {
        if (signal?.aborted || !(error instanceof NonRetryableSyncError)) throw error;
        if (await jumpToCheckpoint(window, target, tried, signal)) {
          result.checkpoint = current().window;
          logger.warn('replay failed, continued from a checkpoint', { window, reason: error.reason });
          continue;
        }
        throw error;
      }
      step(next, followedAggregate);
      logger.debug('aggregate applied', { window, hash: next.hash });
    }
    result.window = current().window;
    result.hash = current().hash;
    return result;
  };

  return {
    get window() {
      return current().window;
    },
    get parameters() {
      return current().parameters;
    },
    get hash() {
      return current().hash;
    },
    advanceTo({ window, signal }) {
      const run = queue.then(async () => {
        busy = true;
        try {
          return await advance(window, signal);
        } finally {
          busy = false;
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    followed({ window }) {
      return followed.get(window);
    },
    offer({ window, parameters, hash }) {
      if (!Number.isSafeInteger(window) || window <= current().window) return;
      offered = { window, parameters, hash: hash.toLowerCase() as Hex32 };
    },
    reset() {
      if (busy) {
        throw new NonRetryableSyncError('invalid-parameter', 'reset() was called while advanceTo() runs.', {
          hint: 'Await advanceTo() first.',
        });
      }
      held = undefined;
      offered = undefined;
      followed.clear();
      metrics?.window.set(0);
    },
  };
}

function option(name: string, value: number | undefined, fallback: number, min: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < min) {
    throw new NonRetryableSyncError('invalid-parameter', `${name} must be an integer ≥ ${min}.`, {
      details: `${name}: ${String(value)}`,
    });
  }
  return chosen;
}
