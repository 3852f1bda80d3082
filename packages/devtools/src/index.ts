// @tessera/devtools: local services for tests, benchmarks and the devnet (anvil, redis-server,
// a TCP proxy, an S3 server, free ports); no product code imports it. Re-exports only.

export * from './AnvilError.js';
export * from './freePort.js';
export * from './startAnvil.js';
export * from './startRedisServer.js';
export * from './startS3Server.js';
export * from './startTcpProxy.js';
export * from './tetheredCommand.js';
export * from './createVirtualNetwork.js';
