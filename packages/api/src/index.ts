// @tessera/api: the REST API and dashboard for token holders, and the indexer behind them.
// Re-exports only.

// errors
export * from './errors/api.js';
export * from './errors/indexer.js';

// index layout in Redis
export * from './store/indexKeys.js';
export type * from './store/records.js';
export * from './store/parseCursor.js';
export * from './store/createIndexWriter.js';

// indexer
export * from './indexer/fetchSubnetLogs.js';
export * from './indexer/applySubnetEvents.js';
export * from './indexer/createIndexer.js';

// reads
export type { ReaderContext } from './reader/readerContext.js';
export * from './reader/createIndexReader.js';
export * from './reader/pendingStakingReward.js';
export type { ReadReceiptResult } from './reader/readReceipt.js';

// server
export * from './schemas/common.js';
export * from './schemas/responses.js';
export type { ApiApp, ApiChainReads } from './server/apiApp.js';
export * from './server/createApiServer.js';
export * from './server/createChainApiServer.js';
export * from './schemas/chainResponses.js';
export * from './dashboard/renderDashboard.js';

// command
export * from './options/apiOptionsSchema.js';
export * from './startApi.js';

// devtools: simulated subnets for benchmarks, browser tests and demos
export * from './devtools/simulateSubnetEvents.js';
export * from './devtools/simulatedDeployment.js';
export * from './devtools/seedSimulatedIndex.js';
