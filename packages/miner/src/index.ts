// @tessera/miner: the miner loop and the honest strategy. Re-exports only.

// miner
export * from './errors/miner.js';
export * from './createMiner.js';
export * from './minerOptions.js';
export * from './createErrorFeedbackStore.js';

// the honest window's work, for benchmarks that train as a miner does
export * from './window/trainWindowUpdate.js';
export * from './window/compressWithFeedback.js';

// strategies: what a strategy is, and the honest one (the gauntlet's cheaters are in @tessera/gauntlet)
export * from './strategies/types.js';
export * from './strategies/honest.js';
