/**
 * `@tessera/core/testing`: test doubles for the packages' tests. Test files alone import it (the
 * layering test keeps product code away from it).
 */
export * from './createMemoryChain.js';
