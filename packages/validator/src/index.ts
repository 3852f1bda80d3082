// @tessera/validator: the validator's window loop, its BullMQ evaluation queue and workers.
// Re-exports only; each operation keeps its own file.

// errors
export * from './errors/validator.js';

// evaluation
export * from './deriveEvalSeed.js';
export * from './drawEvaluationPages.js';
export * from './evaluateUpdate.js';
export * from './trainReferenceUpdate.js';
export * from './relativeScore.js';
export * from './findCopies.js';
export * from './rescoreCopies.js';
export * from './windowAssignments.js';
export * from './loadWindowUpdates.js';

// queue and workers
export * from './evaluationJobSchema.js';
export * from './evaluationJobId.js';
export * from './createEvaluationQueue.js';
export * from './createEvaluationWorker.js';
export * from './createThetaCache.js';
export * from './createRedisConnection.js';
export * from './createValidatorRouter.js';

// scores and the window loop
export * from './validatorKeys.js';
export * from './markDuplicates.js';
export * from './planEvaluations.js';
export * from './applyWindowScores.js';
export * from './readScores.js';
export * from './selectAggregationSet.js';
export * from './computeWeights.js';
export * from './loadEvalSecret.js';
export * from './createValidator.js';

// options
export * from './validatorOptions.js';
export * from './workerOptions.js';
