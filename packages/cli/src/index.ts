// @tessera/cli: the `tessera` command. Re-exports only.
export * from './runCli.js';
export * from './commands/command.js';
export * from './commands/all.js';
export * from './devnet/devnetOptions.js';
export * from './devnet/runDevnet.js';
export * from './devnet/setupDevnetChain.js';
export * from './devnet/devAccounts.js';
