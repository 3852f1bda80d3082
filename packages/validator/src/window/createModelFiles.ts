import { encodeCheckpoint } from '@tessera/core';
import type { Hex32 } from '@tessera/core';
import { chainWrite } from './chainWrite.js';
import type { WindowServices } from './types.js';

/** Parameters of {@link createModelFiles}. */
export type CreateModelFilesParameters = Pick<
  WindowServices,
  'chain' | 'store' | 'modelConfig' | 'hyperparameters' | 'redis' | 'keys' | 'metrics' | 'logger' | 'signal'
>;

/** The model files a validator writes: θ_w for the workers, θ_{w+1} behind its aggregate. */
export type ModelFiles = {
  /**
   * Writes θ of `window` to the store as a checkpoint file (`models/w<window>-<hash>.ckpt`,
   * once) and returns its URI. Files of windows more than two back that this process wrote
   * are deleted then, except every K-th (published checkpoints).
   */
  put(parameters: { window: number; parameters: Float32Array; hash: Hex32 }): Promise<string>;
  /**
   * Publishes the file of `window` as the subnet's checkpoint, once: the window is claimed in
   * Redis's `checkpoints` set first, and released when the chain write fails.
   */
  publishCheckpoint(parameters: { window: number; hash: Hex32; uri: string }): Promise<void>;
};

/**
 * The store key of θ of `window` with hash `hash`: `models/w<window, 8 digits>-<16 hex>.ckpt`.
 * The window's verdicts lie beside it (`windowVerdictsUri` of its URI).
 *
 * @example
 * modelFileKey({ window: 43, hash }); // 'models/w00000043-1a2b3c4d5e6f7a8b.ckpt'
 */
export function modelFileKey(parameters: { window: number; hash: Hex32 }): string {
  return `models/w${String(parameters.window).padStart(8, '0')}-${parameters.hash.slice(2, 18)}.ckpt`;
}

/**
 * Creates the validator's model files over its store (see {@link ModelFiles}).
 *
 * @example
 * const files = createModelFiles(services);
 * const uri = await files.put({ window: w, parameters: theta, hash: thetaHash });
 * if (w % h.checkpointEveryWindows === 0) await files.publishCheckpoint({ window: w, hash: thetaHash, uri });
 */
export function createModelFiles(parameters: CreateModelFilesParameters): ModelFiles {
  const { chain, store, modelConfig, hyperparameters: h, redis, keys, logger, signal } = parameters;
  /** Model files this process wrote, oldest first, for clean-up. */
  const written: { window: number; key: string }[] = [];
  return {
    async put({ window, parameters: theta, hash }) {
      const key = modelFileKey({ window, hash });
      if (!(await store.has({ key, signal }))) {
        const { bytes } = encodeCheckpoint({ config: modelConfig, window, parameters: theta });
        await store.put({ key, bytes, signal });
        written.push({ window, key });
      }
      while (written.length > 0 && (written[0]?.window ?? window) < window - 2) {
        const old = written.shift() as { window: number; key: string };
        if (old.window % h.checkpointEveryWindows === 0) continue;
        await store.delete({ key: old.key, signal }).catch((error: unknown) => {
          logger.warn('old model file not deleted', { key: old.key, error });
        });
      }
      return store.uriOf({ key });
    },
    async publishCheckpoint({ window, hash, uri }) {
      if ((await redis.sadd(keys.checkpoints, String(window))) === 0) return;
      const ok = await chainWrite({
        ...parameters,
        operation: 'publish_checkpoint',
        write: () => chain.publishCheckpoint({ window, modelHash: hash, uri }),
      });
      if (ok) logger.info('checkpoint published', { window, modelHash: hash, uri });
      else await redis.srem(keys.checkpoints, String(window));
    },
  };
}
