/**
 * How often the protocol rejects an honest update: a devnet of honest miners only, run for
 * many windows, counting every verdict the validator logs. Every rejection here is a false
 * one; the goal (docs/protocol.md) is none.
 *
 *   npx tsx --conditions=source scripts/measure-false-rejections.ts --windows 40 --miners 6 --seeds 1,2
 *
 * Prints one JSON line per seed (verdicts by status and reason, rejected uid-windows), then
 * a summary line.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '@tessera/core';
import { runDevnet } from '@tessera/cli';
import { gauntletDevnetOptions } from './lib/gauntletDevnetOptions.js';
import { processShutdownForScript } from './lib/processShutdown.js';

const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '40' },
    miners: { type: 'string', default: '6' },
    seeds: { type: 'string', default: '1,2' },
    'blocks-per-window': { type: 'string', default: '30' },
  },
  strict: true,
});
const seeds = values.seeds.split(',').map((text) => {
  const seed = Number(text);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seeds: "${text}" is not a seed`);
  return seed;
});

const summary = { seeds: [] as number[], verdicts: 0, rejected: 0 };
for (const seed of seeds) {
  const counts = { scored: 0, rejected: 0, reasons: {} as Record<string, number> };
  const rejections: { uid: unknown; reason: unknown }[] = [];
  // Verdicts come from the validator's log lines (`update scored`, `update rejected`); the
  // rest of the log is dropped unless it is a warning.
  const logger = createLogger({
    level: 'info',
    format: 'json',
    write: (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === 'update scored') counts.scored += 1;
      else if (entry.msg === 'update rejected') {
        counts.rejected += 1;
        const reason = String(entry.reason);
        counts.reasons[reason] = (counts.reasons[reason] ?? 0) + 1;
        rejections.push({ uid: entry.uid, reason });
      } else if (entry.level === 'warn' || entry.level === 'error') process.stderr.write(`${line}\n`);
    },
  });
  const options = gauntletDevnetOptions({
    values,
    seed,
    stateDir: '.devnet-false-rejections',
    logLevel: 'info',
    more: ['--miners', values.miners],
  });
  const shutdown = processShutdownForScript(logger);
  const run = await runDevnet({ options, logger, shutdown });
  const verdicts = counts.scored + counts.rejected;
  summary.seeds.push(seed);
  summary.verdicts += verdicts;
  summary.rejected += counts.rejected;
  process.stdout.write(
    `${JSON.stringify({ measure: 'false-rejections', seed, windows: run.windows, miners: Number(values.miners), verdicts, ...counts, rejections, heldOutLoss: [run.heldOutLoss[0], run.heldOutLoss.at(-1)] })}\n`,
  );
}
process.stdout.write(
  `${JSON.stringify({ measure: 'false-rejections', summary: true, ...summary, rate: summary.verdicts === 0 ? 0 : summary.rejected / summary.verdicts })}\n`,
);
