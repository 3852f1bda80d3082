/**
 * Jest runs every package's tests from the root, in three projects:
 * - unit:  `*.test.ts`, pure code, no services;
 * - chain: `*.chain.test.ts`, each suite starts its own anvil on a free loopback port;
 * - redis: `*.redis.test.ts`, each suite starts its own redis-server on a free loopback port.
 * Sources run through SWC as ES modules; workspace imports resolve to `src/`, so no build
 * is needed before testing (the contracts package compiles Solidity in `npm test` first).
 */
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    },
  ],
};

const common = {
  transform,
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@tessera/(errors|core|contracts|miner|validator|api|cli|gauntlet|devtools)$':
      '<rootDir>/packages/$1/src/index.ts',
    '^@tessera/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
export default {
  maxWorkers: 2,
  // Infrastructure suites start anvil, Redis or a whole devnet; long end-to-end tests set
  // their own timeout per test.
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
      testPathIgnorePatterns: [
        ...common.testPathIgnorePatterns,
        '\\.chain\\.test\\.ts$',
        '\\.redis\\.test\\.ts$',
        '\\.e2e\\.test\\.ts$',
      ],
    },
    {
      ...common,
      displayName: 'chain',
      testMatch: ['<rootDir>/packages/*/src/**/*.chain.test.ts'],
    },
    {
      ...common,
      displayName: 'redis',
      testMatch: ['<rootDir>/packages/*/src/**/*.redis.test.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/packages/*/src/**/*.e2e.test.ts', '<rootDir>/scripts/**/*.e2e.test.ts'],
    },
  ],
};
