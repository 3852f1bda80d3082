// @tessera/core: everything the roles share. Re-exports only; each area keeps its own files.

// errors
export * from './errors/base.js';

// common
export * from './common/logger.js';
export * from './common/shutdown.js';

// model

// data

// codec

// protocol

// storage

// chain
export type * from './chain/types.js';

// devtools: local services for tests and the devnet
export * from './devtools/freePort.js';
export * from './devtools/startRedisServer.js';
