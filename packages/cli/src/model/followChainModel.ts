import { BaseError, createModelSync, createStoreRouter, windowOfBlock } from '@tessera/core';
import type { BackendName, Hex32, Logger, ModelConfig, SubnetChain, TextTokenizer } from '@tessera/core';
import { loadRunContext } from '../connect/loadRunContext.js';

/** Parameters of {@link followChainModel}. */
export type FollowChainModelParameters = {
  chain: SubnetChain;
  /** The run's run.json: its hash and timing are checked against the chain's. */
  run: string;
  /** The EVM deployment file, which names the fields a run config mismatch differs in. */
  deployment?: string | undefined;
  /** The corpus cache: the Brown Corpus's tokenizer, a run dataset's files. */
  cacheDir: string;
  backend: 'auto' | BackendName;
  /** Read `file://` URIs anywhere (every participant on this machine). */
  readFileUris: boolean;
  /** Refuse checkpoint and update URIs on loopback and private addresses. */
  blockPrivateAddresses: boolean;
  /**
   * The window whose starting model θ_window to rebuild. @default the latest one the chain has
   * settled: the current window − 1, whose last aggregate (of the window before it) can no
   * longer be overtaken by another.
   */
  window?: number | undefined;
  signal?: AbortSignal | undefined;
  logger: Logger;
};

/** The global model at a window, rebuilt from the chain, and its tokenizer. */
export type ChainModel = {
  window: number;
  /** The current window when it was read. */
  currentWindow: number;
  config: ModelConfig;
  parameters: Float32Array;
  modelHash: Hex32;
  tokenizer: TextTokenizer;
};

/**
 * Rebuilds the global model θ_window as a late-joining miner does: the run config checked
 * against the chain (hash and timing), then the latest checkpoint the validators published and
 * every lead aggregate since, each member update downloaded and verified against its
 * commitment, until the model hash matches the chain's. Nothing is signed.
 *
 * @throws RunConfigMismatchError or TimingMismatchError when the run config is not the subnet's;
 *   BaseError for a window that has not started; the sync's errors when a replay cannot reach
 *   the published hash.
 * @example
 * const { parameters, tokenizer, window } = await followChainModel({ chain, run: 'run.json', cacheDir, backend: 'auto', readFileUris: false, blockPrivateAddresses: true, logger });
 */
export async function followChainModel(parameters: FollowChainModelParameters): Promise<ChainModel> {
  const { chain, logger, signal } = parameters;
  const run = await loadRunContext({
    run: parameters.run,
    chain,
    deployment: parameters.deployment,
    cacheDir: parameters.cacheDir,
    backend: parameters.backend,
    signal,
    logger,
  });
  const [timing, head] = await Promise.all([chain.timing(), chain.blockNumber()]);
  const currentWindow = head < timing.startBlock ? 0 : windowOfBlock({ block: head, ...timing });
  const window = parameters.window ?? Math.max(0, currentWindow - 1);
  if (window > currentWindow) {
    throw new BaseError(`Window ${window} has not started; the current window is ${currentWindow}.`, {
      hint: 'Pass a --window at most the current one, or leave it out for the latest settled model.',
    });
  }
  const sync = createModelSync({
    chain,
    // No store folder of its own: file URIs only with --read-file-uris. Every byte is checked
    // against the hashes on chain whatever it is read from.
    router: createStoreRouter({
      file: parameters.readFileUris ? {} : false,
      http: { blockPrivateAddresses: parameters.blockPrivateAddresses },
    }),
    hyperparameters: run.hyperparameters,
    modelConfig: run.modelConfig,
    logger,
  });
  const reached = await sync.advanceTo({ window, signal });
  // A fresh sync loads the latest checkpoint at or before the target. One it could not read
  // leaves a replay from θ_0 that nothing on chain contradicts when no aggregate followed, so a
  // sample of it would pass for the subnet's model: refuse instead.
  const latest = await chain.latestCheckpoint();
  if (
    latest !== undefined &&
    latest.window > 0 &&
    latest.window <= window &&
    reached.checkpoint === undefined
  ) {
    throw new BaseError(`Cannot read the subnet's latest checkpoint (window ${latest.window}).`, {
      details: `uri: ${latest.uri}`,
      hint: 'A file: URI needs --read-file-uris and a private address --no-block-private-addresses (on one machine or a private network only); otherwise the host may be down.',
    });
  }
  logger.info('global model rebuilt', {
    window: reached.window,
    modelHash: reached.hash,
    checkpoint: reached.checkpoint,
    aggregatesApplied: reached.applied,
  });
  return {
    window: reached.window,
    currentWindow,
    config: run.modelConfig,
    parameters: sync.parameters,
    modelHash: reached.hash,
    tokenizer: run.corpus.tokenizer,
  };
}
