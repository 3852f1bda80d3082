import { apiCommand } from './api.js';
import type { Command } from './command.js';
import { claimCommand } from './claim.js';
import { dataCommands } from './data.js';
import { devnetCommand } from './devnet.js';
import { initCommand } from './init.js';
import { exportCommand } from './export.js';
import { metagraphCommand } from './metagraph.js';
import { minerCommand } from './miner.js';
import { validatorCommand, workerCommand } from './validator.js';
import { registerCommand } from './register.js';
import { rewardsCommand } from './rewards.js';
import { sampleCommand } from './sample.js';
import { delegateCommand, stakeCommand } from './stake.js';
import { statusCommand } from './status.js';
import { subnetCommands } from './subnet.js';
import { walletCommands } from './wallet.js';

/** Every `tessera` command, in the order `tessera --help` lists them. */
export const commands: readonly Command[] = [
  devnetCommand,
  initCommand,
  minerCommand,
  validatorCommand,
  workerCommand,
  apiCommand,
  registerCommand,
  stakeCommand,
  delegateCommand,
  claimCommand,
  ...subnetCommands,
  metagraphCommand,
  rewardsCommand,
  statusCommand,
  ...dataCommands,
  exportCommand,
  sampleCommand,
  ...walletCommands,
];
