/**
 * The gauntlet: a devnet with honest miners and one miner per cheating strategy, run for
 * some windows, then each strategy's share of the miner emission.
 *
 *   npm run gauntlet                         # table
 *   npm run gauntlet -- --json               # one JSON object per strategy, then a summary line
 *   npm run gauntlet -- --windows 9 --honest 3 --strategies copycat,noise
 *
 * Goal (docs/protocol.md): honest miners take at least 95 % of the miner emission and no
 * other strategy more than 1 %.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@tessera/core';
import { buildOptions } from '@tessera/core';
import { devnetOptionsSchema, runDevnet } from '@tessera/cli';
import { processShutdownForScript } from './lib/processShutdown.js';
import { strategyNames } from '@tessera/miner';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    windows: { type: 'string', default: '9' },
    honest: { type: 'string', default: '3' },
    strategies: { type: 'string', default: strategyNames.filter((s) => s !== 'honest').join(',') },
    'blocks-per-window': { type: 'string', default: '30' },
    'log-level': { type: 'string', default: 'warn' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(
    `Usage: npm run gauntlet -- [--json] [--windows N] [--honest N] [--strategies a,b] [--blocks-per-window N]\n\nStrategies: ${strategyNames.join(', ')}\n`,
  );
  process.exit(0);
}

const options = buildOptions({
  schema: devnetOptionsSchema,
  argv: [
    '--windows',
    values.windows,
    '--miners',
    values.honest,
    '--adversaries',
    values.strategies,
    '--blocks-per-window',
    values['blocks-per-window'],
    '--state-dir',
    '.devnet-gauntlet',
    '--log-level',
    values['log-level'],
  ],
  env: {},
});
const logger = createLogger({ level: options.logLevel });
const shutdown = processShutdownForScript(logger);
const summary = await runDevnet({ options, logger, shutdown });

const total = summary.miners.reduce((sum, m) => sum + BigInt(m.rewardsWei), 0n);
const byStrategy = new Map<string, bigint>();
for (const m of summary.miners)
  byStrategy.set(m.strategy, (byStrategy.get(m.strategy) ?? 0n) + BigInt(m.rewardsWei));
const share = (wei: bigint) => (total === 0n ? 0 : Number((wei * 1_000_000n) / total) / 1_000_000);
const rows = [...byStrategy].map(([strategy, wei]) => ({
  strategy,
  miners: summary.miners.filter((m) => m.strategy === strategy).length,
  share: share(wei),
}));
const honestShare = rows.find((r) => r.strategy === 'honest')?.share ?? 0;
const worst = rows.filter((r) => r.strategy !== 'honest').reduce((a, r) => Math.max(a, r.share), 0);
const verdict = { honestShare, worstAdversaryShare: worst, passed: honestShare >= 0.95 && worst <= 0.01 };

if (values.json) {
  for (const row of rows) process.stdout.write(`${JSON.stringify({ gauntlet: 'strategy', ...row })}\n`);
  process.stdout.write(
    `${JSON.stringify({ gauntlet: 'summary', windows: summary.windows, heldOutLoss: summary.heldOutLoss, ...verdict })}\n`,
  );
} else {
  process.stdout.write('strategy          miners  share of miner emission\n');
  for (const row of rows)
    process.stdout.write(
      `${row.strategy.padEnd(18)}${String(row.miners).padEnd(8)}${(row.share * 100).toFixed(2)} %\n`,
    );
  process.stdout.write(
    `\nhonest ${(honestShare * 100).toFixed(2)} %, worst other ${(worst * 100).toFixed(2)} %: ${verdict.passed ? 'PASS' : 'FAIL'}\n`,
  );
}
process.exitCode = verdict.passed ? 0 : 1;
