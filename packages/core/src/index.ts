// @tessera/core: everything the roles share. Re-exports only; each area keeps its own files.

// errors
export * from '@tessera/errors';
export * from './errors/chain.js';

// common
export type { Common } from './common/common.js';
export * from './common/logger.js';
export * from './common/shutdown.js';
export * from './common/createRandom.js';
export * from './common/createPhaseClock.js';

// model
export * from './errors/model.js';
export * from './model/selectBackend.js';
export * from './model/modelConfig.js';
export * from './model/modelPresets.js';
export * from './model/parameterLayout.js';
export * from './model/initParameters.js';
export { createModel } from './model/createModel.js';
export type { Model, CreateModelParameters } from './model/createModel.js';
export { computeLogits } from './model/computeLogits.js';
export type { ComputeLogitsParameters } from './model/computeLogits.js';
export * from './model/evaluateLoss.js';
export * from './model/meanLoss.js';
export * from './model/createAdamW.js';
export * from './model/trainInnerSteps.js';
export * from './model/getParameters.js';
export * from './model/setParameters.js';
export { modelHash } from './model/modelHash.js';
export type { ModelHashParameters } from './model/modelHash.js';
export {
  encodeCheckpoint,
  checkpointMagic,
  checkpointVersion,
  maxCheckpointHeaderBytes,
} from './model/encodeCheckpoint.js';
export type { CheckpointHeader, EncodeCheckpointParameters } from './model/encodeCheckpoint.js';
export * from './model/decodeCheckpoint.js';
export * from './model/saveCheckpoint.js';
export * from './model/loadCheckpoint.js';
export * from './model/estimateMemory.js';
export * from './model/encodeSafetensors.js';
export * from './model/gpt2Tensors.js';
export { exportModel } from './model/exportModel.js';
export type { ExportModelParameters, ExportModelResult } from './model/exportModel.js';
export * from './model/sampleTokens.js';

// data
export * from './errors/data.js';
export * from './data/readBrownCorpus.js';
export * from './data/createTokenizer.js';
export * from './data/trainTokenizer.js';
export * from './data/createCorpus.js';
export * from './data/createKeccakStream.js';
export { assignWork } from './data/assignWork.js';
export type { AssignWorkParameters, Assignment } from './data/assignWork.js';
export * from './data/randomPages.js';
export * from './data/buildBatches.js';
export * from './data/heldOutBatches.js';
export * from './data/createGpt2Tokenizer.js';

// dataset
export * from './errors/dataset.js';
export * from './dataset/datasetManifest.js';
export * from './dataset/readDatasetInputs.js';
export * from './dataset/buildDataset.js';
export * from './dataset/openDatasetCorpus.js';

// codec
export * from './errors/codec.js';
export * from './codec/shardRange.js';
export * from './codec/compressUpdate.js';
export * from './codec/encodeUpdate.js';
export * from './codec/decodeUpdate.js';
export * from './codec/digestUpdate.js';
export * from './codec/encodedUpdateSize.js';
export {
  updateMagic,
  updateFormatVersion,
  updateHeaderBytes,
  maxChunkSize,
  maxShards,
  maxParameterCount,
  maxWindow,
  quantBitsValues,
} from './codec/wireFormat.js';
export type { QuantBits, UpdateHeader } from './codec/wireFormat.js';

// protocol
export * from './errors/protocol.js';
export * from './protocol/hyperparametersSchema.js';
export * from './protocol/parseHyperparameters.js';
export * from './protocol/hyperparameterPresets.js';
export * from './protocol/windowOfBlock.js';
export * from './protocol/startBlockOfWindow.js';
export * from './protocol/deadlineOfWindow.js';
export * from './protocol/epochOfWindow.js';
export * from './protocol/windowsOfEpoch.js';
export * from './protocol/startBlockOfEpoch.js';
export * from './protocol/aggregateUpdates.js';
export * from './protocol/applyUpdate.js';
export * from './protocol/normBoundScale.js';
export * from './protocol/decodeWindowUpdate.js';
export * from './protocol/checkRunTiming.js';
export { canonicalRunConfig, hashRunConfig } from './protocol/hashRunConfig.js';
export type { HashRunConfigParameters } from './protocol/hashRunConfig.js';
export * from './protocol/checkRunConfigHash.js';
export * from './protocol/selectLeadAggregate.js';
export type { SparseUpdate } from './protocol/checkSparseUpdate.js';

// storage
export * from './errors/storage.js';
export type * from './storage/types.js';
export * from './storage/assertStoreKey.js';
export * from './storage/createFileStore.js';
export * from './storage/writeFileAtomic.js';
export { readFileUri } from './storage/readFileUri.js';
export type { ReadFileUriParameters } from './storage/readFileUri.js';
export { httpGet, maxHttpUriLength } from './storage/httpGet.js';
export type { HttpGetOptions, HttpGetParameters } from './storage/httpGet.js';
export * from './storage/createStoreRouter.js';
export * from './storage/createReaderRouter.js';
export * from './storage/getUpdateBytes.js';
export * from './storage/createUpdateServer.js';
export * from './storage/createS3Store.js';
export * from './storage/createS3Client.js';
export * from './storage/createS3Reader.js';
export * from './storage/getS3Object.js';
export { parseS3Uri } from './storage/s3Uri.js';
export type { S3Object } from './storage/s3Uri.js';
export * from './storage/assertCommittedUri.js';
export * from './storage/parseStoreOption.js';
export * from './storage/openStore.js';

// sync
export * from './errors/sync.js';
export { createModelSync } from './sync/createModelSync.js';
export type {
  AdvanceResult,
  CreateModelSyncParameters,
  ModelSync,
  ModelSyncChain,
} from './sync/createModelSync.js';

// chain
export type * from './chain/types.js';
export type * from './chain/subtensor/types.js';
export * from './chain/subtensor/createSubtensorChain.js';
export * from './chain/subtensor/parseSubstrateAddress.js';
export * from './chain/subtensor/isSubstrateSecret.js';
export * from './chain/subtensor/subtensorCallOrigins.js';
export * from './chain/subtensor/defaultSubtensorTiming.js';
export * from './chain/subtensor/encodeTesseraCommitment.js';
export * from './chain/subtensor/decodeTesseraCommitment.js';
export * from './chain/subtensor/splitCommitmentFields.js';
export * from './chain/subtensor/joinCommitmentFields.js';
export * from './chain/toU16Weights.js';
export * from './chain/subtensor/weightCommitHash.js';
export * from './chain/subtensor/weightRevealBlocks.js';
export type * from './chain/evm/types.js';
export * from './chain/evm/createEvmChain.js';
export * from './chain/evm/evmSubnetId.js';
export { toEvmChainError } from './chain/evm/toEvmChainError.js';
export { decodeRevert } from './chain/evm/decodeRevert.js';
export type { DecodedRevert } from './chain/evm/decodeRevert.js';

// config
export * from './errors/config.js';
export * from './config/buildOptions.js';
export * from './config/optionFields.js';
export * from './config/chainAmount.js';
export * from './config/checkChainOptions.js';
export * from './config/storeFields.js';
export * from './config/readerFields.js';
export * from './config/runFields.js';
export * from './config/backendFields.js';
export * from './config/renderHelp.js';
export * from './config/helpRequested.js';
export * from './config/redactOptions.js';
export * from './config/optionNames.js';
export * from './config/suggestName.js';

// metrics
export * from './errors/metrics.js';
export * from './metrics/createMetrics.js';
export * from './metrics/createMetricsServer.js';
export * from './metrics/watchAccountMetrics.js';
export * from './metrics/windowMetricsKey.js';

// window verdicts: what a validator publishes beside each aggregate
export * from './errors/verdicts.js';
export * from './verdicts/windowVerdicts.js';
export * from './verdicts/parseWindowVerdicts.js';
export * from './verdicts/readRecentVerdicts.js';
