/**
 * `@tessera/core/testing`: test doubles and fixtures for the packages' tests. Test files alone import it (the
 * layering test keeps product code away from it).
 */
export * from './createMemoryChain.js';
export * from './serveDatasetMirror.js';
