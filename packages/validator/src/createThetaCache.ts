import { decodeCheckpoint, parameterCount } from '@tessera/core';
import type { ModelConfig, StoreRouter } from '@tessera/core';
import { CheckpointError } from '@tessera/core';
import { ValidatorError } from './errors/validator.js';

/** A model held in the cache, with the losses already measured on it. */
export type CachedTheta = {
  modelHash: `0x${string}`;
  parameters: Float32Array;
  /** Losses of this θ keyed by pages; for `evaluateUpdate`'s `lossCache`. */
  lossCache: Map<string, number>;
};

/** Parameters of {@link createThetaCache}. */
export type CreateThetaCacheParameters = {
  /** Reads the checkpoint URIs. */
  router: StoreRouter;
  /** The run's model config; a checkpoint of another config is refused. */
  modelConfig: ModelConfig;
  /** Time limit of one download, in milliseconds. @default 60000 */
  timeoutMs?: number | undefined;
  /** Models kept. @default 2 */
  size?: number | undefined;
};

/** θ_w by URI and hash, downloaded once. */
export type ThetaCache = {
  /** The checkpoint at `uri`, verified to hold `modelHash`. */
  get(parameters: { uri: string; modelHash: string; signal?: AbortSignal | undefined }): Promise<CachedTheta>;
};

/**
 * Creates the cache evaluation workers load θ_w through: downloads a checkpoint by URI,
 * decodes it strictly (config and hash checked), keeps the last `size` models, and shares
 * one download among concurrent requests for the same hash.
 *
 * @throws from `get`: the store's error when the download fails (retryable ones stay
 *   retryable); ValidatorError `bad-checkpoint` when the file is not the expected model.
 * @example
 * const thetas = createThetaCache({ router, modelConfig });
 * const { parameters } = await thetas.get(job.data.theta);
 */
export function createThetaCache(parameters: CreateThetaCacheParameters): ThetaCache {
  const { router, modelConfig } = parameters;
  const size = parameters.size ?? 2;
  const timeoutMs = parameters.timeoutMs ?? 60_000;
  // Header (at most 64 KiB), fixed prefix and padding, then the parameters.
  const maxBytes = parameterCount({ config: modelConfig }) * 4 + 64 * 1024 + 32;
  const entries = new Map<string, Promise<CachedTheta>>();

  const load = async (uri: string, modelHash: string, signal?: AbortSignal): Promise<CachedTheta> => {
    const bytes = await router.get({ uri, maxBytes, timeoutMs, signal });
    try {
      const checkpoint = decodeCheckpoint({ bytes, expected: { config: modelConfig, modelHash }, path: uri });
      return { modelHash: checkpoint.modelHash, parameters: checkpoint.parameters, lossCache: new Map() };
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      throw new ValidatorError('bad-checkpoint', 'θ_w could not be loaded from its checkpoint.', {
        details: `${uri}: ${error.shortMessage}`,
        cause: error,
      });
    }
  };

  return {
    get({ uri, modelHash, signal }) {
      const key = modelHash.toLowerCase();
      const cached = entries.get(key);
      if (cached !== undefined) {
        // Most recently used last.
        entries.delete(key);
        entries.set(key, cached);
        return cached;
      }
      const loading = load(uri, key, signal);
      entries.set(key, loading);
      // A failed load must not stay cached.
      loading.catch(() => {
        if (entries.get(key) === loading) entries.delete(key);
      });
      while (entries.size > size) entries.delete(entries.keys().next().value as string);
      return loading;
    },
  };
}
