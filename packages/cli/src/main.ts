import { commands } from './commands/all.js';
import { runCli } from './runCli.js';

process.exitCode = await runCli({ argv: process.argv.slice(2), commands });
