import { BaseError, createStoreRouter, fetchWindowVerdicts, windowVerdictsUri } from '@tessera/core';
import type { Aggregate, StoreRouter } from '@tessera/core';
import { ApiConfigError } from '../errors/indexer.js';
import type { NeuronWindowVerdict, WindowVerdictsInfo } from '../schemas/verdicts.js';

/** The aggregate fields a verdicts file is checked against. */
export type VerdictsAggregate = Pick<Aggregate, 'window' | 'uids' | 'modelHash' | 'validator' | 'uri'>;

/** Parameters of {@link createVerdictsReader}. */
export type CreateVerdictsReaderParameters = {
  /**
   * Reads the validators' URIs.
   * @default http(s) only, private addresses refused (see {@link verdictsRouter})
   */
  router?: Pick<StoreRouter, 'get'> | undefined;
  /** Files kept in memory, least recently read dropped first. @default 512 */
  cacheSize?: number | undefined;
  /** How long an unusable file is answered from memory before it is read again, in milliseconds. @default 30000 */
  retryMs?: number | undefined;
  /** Per read, in milliseconds. @default 5000 */
  timeoutMs?: number | undefined;
};

/** Reads and checks verdicts files; see {@link createVerdictsReader}. */
export type VerdictsReader = {
  /** The verdicts of `aggregate` (`no-aggregate` when undefined). Never rejects. */
  read(aggregate: VerdictsAggregate | undefined): Promise<WindowVerdictsInfo>;
};

/** Parameters of {@link verdictsRouter}. */
export type VerdictsRouterParameters = {
  /**
   * Read URIs whose host resolves to a loopback, private, link-local or unique-local address.
   * @default false
   */
  privateAddresses?: boolean | undefined;
  /** Read `file://` URIs anywhere on this machine. @default false */
  fileUris?: boolean | undefined;
};

/**
 * The router the API reads verdicts files with. By default http(s) only, no `file:` (the API
 * must not read its own disk on a validator's word) and private and loopback addresses
 * refused, so a published URI cannot point a public API at its own network. A devnet or a
 * subnet on one private network opts in to what it needs.
 *
 * @example
 * const router = verdictsRouter({ privateAddresses: options.verdictsPrivateAddresses });
 */
export function verdictsRouter(parameters: VerdictsRouterParameters = {}): StoreRouter {
  return createStoreRouter({
    file: parameters.fileUris === true ? {} : false,
    http: { blockPrivateAddresses: parameters.privateAddresses !== true },
  });
}

type Entry = {
  info: Promise<WindowVerdictsInfo>;
  /** When the read ended with an unusable file; undefined while in flight or once published. */
  failedAt?: number | undefined;
};

/**
 * Reads the verdicts file beside an aggregate (`fetchWindowVerdicts`: size cap, schema,
 * digest, the aggregate it belongs to) and keeps the answer, so requests do not make the API
 * fetch the same file again: a checked file for good (an aggregate never changes, and the key
 * holds every field the file is checked against), a failure for `retryMs` after it happened.
 * Concurrent reads of one file share one fetch; at most `cacheSize` answers are kept, the least
 * recently read dropped first.
 *
 * @throws ApiConfigError for a negative or fractional `cacheSize`, `retryMs` or `timeoutMs`.
 * @example
 * const verdicts = createVerdictsReader({ router: verdictsRouter() });
 * const info = await verdicts.read(await chain.aggregate({ window: 41 }));
 */
export function createVerdictsReader(parameters: CreateVerdictsReaderParameters = {}): VerdictsReader {
  const router = parameters.router ?? verdictsRouter();
  const cacheSize = parameters.cacheSize ?? 512;
  const retryMs = parameters.retryMs ?? 30_000;
  const timeoutMs = parameters.timeoutMs ?? 5_000;
  for (const [name, value] of Object.entries({ cacheSize, retryMs, timeoutMs })) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new ApiConfigError('Invalid verdicts reader setting.', {
        details: `${name}: ${value}`,
        hint: 'Use a whole number ≥ 0.',
      });
  }
  const cache = new Map<string, Entry>();

  const fetchInfo = async (aggregate: VerdictsAggregate): Promise<WindowVerdictsInfo> => {
    const base = { validator: aggregate.validator, uri: windowVerdictsUri(aggregate.uri) };
    try {
      const file = await fetchWindowVerdicts({ aggregate, router, timeoutMs });
      return { state: 'published', ...base, error: null, verdicts: file.verdicts };
    } catch (error) {
      return { state: 'unavailable', ...base, error: reasonOf(error), verdicts: [] };
    }
  };

  return {
    read(aggregate) {
      if (aggregate === undefined)
        return Promise.resolve({
          state: 'no-aggregate',
          validator: null,
          uri: null,
          error: null,
          verdicts: [],
        });
      const key = JSON.stringify([
        aggregate.window,
        aggregate.validator.toLowerCase(),
        aggregate.modelHash.toLowerCase(),
        aggregate.uids,
        aggregate.uri,
      ]);
      // Decided without awaiting, so reads arriving together find the same entry.
      const kept = cache.get(key);
      cache.delete(key);
      if (kept !== undefined && (kept.failedAt === undefined || Date.now() - kept.failedAt < retryMs)) {
        cache.set(key, kept);
        return kept.info;
      }
      const entry: Entry = { info: fetchInfo(aggregate) };
      void entry.info.then((info) => {
        if (info.state !== 'published') entry.failedAt = Date.now();
      });
      cache.set(key, entry);
      while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return entry.info;
    },
  };
}

/** Why a file was unusable, on one line of at most 300 characters: the short message and its details. */
function reasonOf(error: unknown): string {
  const text =
    error instanceof BaseError
      ? error.details === undefined
        ? error.shortMessage
        : `${error.shortMessage} (${error.details})`
      : error instanceof Error
        ? error.message
        : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/**
 * What the lead aggregate's validator published on one uid in each of `windows`, the rows of
 * a neuron's `recentVerdicts` on EVM and on subtensor alike: the file's state, its validator
 * and the uid's verdict (null when the file does not name it).
 *
 * @example
 * const recentVerdicts = await neuronVerdicts({ verdicts, uid, windows: [7, 6], aggregateOf: (window) => chain.aggregate({ window }) });
 */
export function neuronVerdicts(parameters: {
  verdicts: VerdictsReader;
  uid: number;
  windows: readonly number[];
  /** The lead aggregate of a window, undefined when none was published. */
  aggregateOf: (window: number) => Promise<VerdictsAggregate | undefined>;
}): Promise<NeuronWindowVerdict[]> {
  const { verdicts, uid } = parameters;
  return Promise.all(
    parameters.windows.map(async (window) => {
      const info = await verdicts.read(await parameters.aggregateOf(window));
      return {
        window,
        state: info.state,
        validator: info.validator,
        verdict: info.verdicts.find((v) => v.uid === uid) ?? null,
      };
    }),
  );
}
