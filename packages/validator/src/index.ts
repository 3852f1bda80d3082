// @tessera/validator: the validator's window loop, its BullMQ evaluation queue and workers.
// Re-exports only; each operation keeps its own file.

// errors
export * from './errors/validator.js';

// evaluation
export * from './deriveEvalSeed.js';
export * from './drawEvaluationPages.js';
export * from './evaluateUpdate.js';
