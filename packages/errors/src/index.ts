// @tessera/errors: the error base every Tessera package builds on. Re-exports only.
export * from './base.js';
