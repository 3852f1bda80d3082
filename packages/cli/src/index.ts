// @tessera/cli: the `tessera` command. Re-exports only.
export * from './runCli.js';
export * from './commands/command.js';
export * from './commands/all.js';
