import { formatUnits } from 'ethers';
import { createLogger } from '@tessera/core';
import { devnetOptionsSchema } from '../devnet/devnetOptions.js';
import { runDevnet } from '../devnet/runDevnet.js';
import { processShutdown } from '../connect/startProcessRole.js';
import { defineCommand } from './command.js';

/** `tessera devnet` (`npm run devnet`): the whole subnet on this machine. */
export const devnetCommand = defineCommand({
  name: 'devnet',
  summary: 'Run a whole subnet on this machine: chain, Redis, validators and miners.',
  description:
    'Starts anvil and redis-server on free loopback ports, deploys the contracts, funds and registers the validators and miners, and runs them all in this process until Ctrl-C or --windows N. Prints a line per window: the held-out loss of the model the window produced, and every neuron’s rewards so far. With --json the last stdout line is a JSON summary.',
  schema: devnetOptionsSchema,
  async run(options) {
    const logger = createLogger({ level: options.logLevel, format: options.logFormat });
    const shutdown = processShutdown(logger);
    const out = (line: string) => void process.stdout.write(`${line}\n`);
    let header = false;
    const summary = await runDevnet({
      options,
      logger,
      shutdown,
      onWindow: options.json
        ? undefined
        : (row) => {
            const uids = Object.keys(row.rewardsWei).map(Number);
            if (!header) {
              out(
                ['window', 'held-out loss', ...uids.map((uid) => `uid ${uid} TSR`)]
                  .map((c) => c.padStart(13))
                  .join(''),
              );
              header = true;
            }
            out(
              [
                String(row.window),
                row.heldOutLoss.toFixed(4),
                ...uids.map((uid) => Number(formatUnits(row.rewardsWei[uid] ?? 0n, 18)).toFixed(2)),
              ]
                .map((c) => c.padStart(13))
                .join(''),
            );
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
    return 0;
  },
});
