// @tessera/gauntlet: the cheating miner strategies and adversarial validators the devnet and
// the gauntlet run against the honest roles; no product package imports it. Re-exports only.

// miner strategies
export * from './strategies/minerStrategies.js';
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

// validators
export * from './adversaries/createAdversarialValidator.js';
