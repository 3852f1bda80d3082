import type { SubnetChain } from '../chain/types.js';
import type { StoreRouter } from '../storage/createStoreRouter.js';
import { fetchWindowVerdicts } from './parseWindowVerdicts.js';
import type { UidVerdict } from './windowVerdicts.js';

/** Parameters of {@link readRecentVerdicts}. */
export type ReadRecentVerdictsParameters = {
  chain: Pick<SubnetChain, 'aggregate'>;
  router: Pick<StoreRouter, 'get'>;
  /** The windows to read, in the order to answer them (newest first, say). */
  windows: readonly number[];
  /** Only this uid's verdict in each window; all verdicts when absent. */
  uid?: number | undefined;
  /** Per file. @default 10000 */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
};

/** One window's published verdicts, as {@link readRecentVerdicts} found them. */
export type WindowVerdictsRead = {
  window: number;
  /** The lead aggregate's validator and model file; null when the window has no aggregate. */
  validator: string | null;
  aggregateUri: string | null;
  /** The aggregation set; empty without an aggregate. */
  aggregated: number[];
  /**
   * `published`: the file was read and checked; `no-aggregate`: nobody published an aggregate
   * (yet); `unavailable`: the file could not be read or failed its checks (see `error`).
   */
  state: 'published' | 'no-aggregate' | 'unavailable';
  /** The verdicts (only `uid`'s when given; empty when it has none in the file). */
  verdicts: UidVerdict[];
  /** Why the file was unusable, one line. */
  error?: string | undefined;
};

/**
 * Reads the verdicts the lead aggregate's validator published for each window, checking each
 * file (`fetchWindowVerdicts`); a file that is missing or bad marks its window `unavailable`
 * instead of failing the others.
 *
 * @example
 * const recent = await readRecentVerdicts({ chain, router, windows: [41, 40, 39], uid: 3 });
 */
export async function readRecentVerdicts(
  parameters: ReadRecentVerdictsParameters,
): Promise<WindowVerdictsRead[]> {
  const { chain, router, uid, signal } = parameters;
  const out: WindowVerdictsRead[] = [];
  for (const window of parameters.windows) {
    const aggregate = await chain.aggregate({ window });
    if (aggregate === undefined) {
      out.push({
        window,
        validator: null,
        aggregateUri: null,
        aggregated: [],
        state: 'no-aggregate',
        verdicts: [],
      });
      continue;
    }
    const base = {
      window,
      validator: aggregate.validator,
      aggregateUri: aggregate.uri,
      aggregated: aggregate.uids,
    };
    try {
      const file = await fetchWindowVerdicts({ aggregate, router, timeoutMs: parameters.timeoutMs, signal });
      const verdicts = uid === undefined ? file.verdicts : file.verdicts.filter((v) => v.uid === uid);
      out.push({ ...base, state: 'published', verdicts });
    } catch (error) {
      if (signal?.aborted) throw error;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      out.push({ ...base, state: 'unavailable', verdicts: [], error: message });
    }
  }
  return out;
}
