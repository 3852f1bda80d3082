import { formatUnits } from 'ethers';
import { createLogger } from '@tessera/core';
import { devnetOptionsSchema } from '../devnet/devnetOptions.js';
import { formatDevnetTable } from '../devnet/formatDevnetTable.js';
import { runDevnet } from '../devnet/runDevnet.js';
import { processShutdown } from '../connect/startProcessRole.js';
import { defineCommand } from './command.js';
import { exitCodes } from '../exitCodes.js';

/** `tessera devnet` (`npm run devnet`): the whole subnet on this machine. */
export const devnetCommand = defineCommand({
  name: 'devnet',
  summary: 'Run a whole subnet on this machine: chain, Redis, validators and miners.',
  description:
    'Starts anvil and redis-server on free loopback ports, deploys the contracts, funds and registers the validators and miners, and runs them all in this process until Ctrl-C or --windows N. Prints each window’s steps as they happen (train, commit, evaluate, aggregate) on stderr and a line per window on stdout: the held-out loss of the model the window produced, and every neuron’s rewards so far (pending until the first epoch settles). With --json the last stdout line is a JSON summary.',
  schema: devnetOptionsSchema,
  async run(options) {
    const logger = createLogger({ level: options.logLevel, format: options.logFormat });
    const shutdown = processShutdown(logger);
    const out = (line: string) => void process.stdout.write(`${line}\n`);
    const err = (line: string) => void process.stderr.write(`${line}\n`);
    let table: ReturnType<typeof formatDevnetTable> | undefined;
    const summary = await runDevnet({
      options,
      logger,
      shutdown,
      onProgress: options.json
        ? undefined
        : (p) => err(`  window ${String(p.window).padStart(3)}  ${p.phase.padEnd(9)}  ${p.text}`),
      onWindow: options.json
        ? undefined
        : (row) => {
            if (table === undefined) {
              table = formatDevnetTable({
                uids: Object.keys(row.rewardsWei).map(Number),
                windowsPerEpoch: options.windowsPerEpoch,
              });
              for (const line of table.note()) out(line);
              out(table.header());
            }
            out(table.row(row));
          },
    });
    if (options.json) {
      out(JSON.stringify(summary));
    } else {
      out('');
      out('uid  role       strategy      rewards (TSR)');
      for (const m of summary.miners)
        out(
          `${String(m.uid).padEnd(5)}miner      ${m.strategy.padEnd(14)}${formatUnits(BigInt(m.rewardsWei), 18)}`,
        );
      for (const v of summary.validators)
        out(`${String(v.uid).padEnd(5)}validator  ${''.padEnd(14)}${formatUnits(BigInt(v.rewardsWei), 18)}`);
    }
    return exitCodes.ok;
  },
});
