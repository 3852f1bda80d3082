// @tessera/miner: the miner loop and its strategies. Re-exports only.

// miner
export * from './errors/miner.js';
export * from './createMiner.js';
export * from './minerOptions.js';
export * from './createErrorFeedbackStore.js';

// strategies
export * from './strategies/types.js';
export * from './strategies/minerStrategies.js';
export * from './strategies/honest.js';
export * from './strategies/copycat.js';
export * from './strategies/noise.js';
export * from './strategies/replay.js';
export * from './strategies/scaled.js';
export * from './strategies/lazy.js';
export * from './strategies/late.js';
export * from './strategies/digestMismatch.js';
export * from './strategies/malformed.js';
export * from './strategies/outOfSync.js';
export * from './strategies/sybil.js';
export * from './strategies/effort.js';
export * from './strategies/heldOut.js';
export * from './strategies/blend.js';
export * from './strategies/sameShardUpdate.js';
export * from './strategies/submitDelta.js';
export * from './strategies/noiseDelta.js';
export * from './strategies/scaleDelta.js';
export * from './strategies/lazyPages.js';
export * from './strategies/tamperBytes.js';
export * from './strategies/staleBase.js';
export * from './strategies/perturbCopy.js';
export * from './strategies/waitForOtherCommitment.js';
