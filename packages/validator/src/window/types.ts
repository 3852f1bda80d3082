import type {
  Corpus,
  Hex32,
  Hyperparameters,
  Logger,
  Model,
  ModelConfig,
  ModelSync,
  SubnetChain,
  SubnetTiming,
  UpdateStore,
} from '@tessera/core';
import type { Redis } from 'ioredis';
import type { BlockTimer } from '../createBlockTimer.js';
import type { EvaluationQueue } from '../createEvaluationQueue.js';
import type { ValidatorKeys } from '../validatorKeys.js';
import type { ValidatorMetrics } from './validatorMetrics.js';

/**
 * What the window steps share: the validator's chain, store, Redis and queue, the run's
 * settings, its logger and shutdown signal. Each step takes the part of it it uses
 * (`Pick<WindowServices, …>`) beside its own inputs, so a test passes only those.
 */
export type WindowServices = {
  chain: SubnetChain;
  timing: SubnetTiming;
  /** The validator's own store: θ_w for the workers, θ_{w+1} behind each aggregate. */
  store: UpdateStore;
  corpus: Corpus;
  hyperparameters: Hyperparameters;
  modelConfig: ModelConfig;
  redis: Redis;
  keys: ValidatorKeys;
  queue: EvaluationQueue;
  sync: ModelSync;
  metrics: ValidatorMetrics;
  blockTimer: BlockTimer;
  logger: Logger;
  signal: AbortSignal;
  /** The subnet's id in Redis keys (`windowMetricsKey`). */
  subnet: string;
  /** The validator's uid. */
  uid: number;
};

/** θ_w loaded for scoring, and the losses measured on it this window (shared between steps). */
export type WindowScoring = {
  /** The validator's scoring model (its parameters are overwritten as it goes). */
  model: Model;
  theta: Float32Array;
  thetaHash: Hex32;
  /** Losses of θ_w by pages, measured once per window (`measureImprovements`). */
  lossCache: Map<string, number>;
};
