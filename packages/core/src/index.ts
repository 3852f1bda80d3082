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
