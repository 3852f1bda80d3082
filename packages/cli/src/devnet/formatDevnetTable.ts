import { formatUnits } from 'ethers';
import type { DevnetWindowRow } from './runDevnet.js';

/** The devnet's window table: its note, header and rows, each column right-aligned under its title. */
export type DevnetTable = {
  /** Lines to print before the header: what the columns mean and when rewards arrive. */
  note(): string[];
  header(): string;
  row(row: DevnetWindowRow): string;
};

/**
 * Lays out the devnet's window table for these uids: columns two spaces apart, each as wide
 * as its title or its widest value, so values line up under their titles. Rewards are
 * credited when an epoch settles, from the start of the epoch after next; until the first
 * settlement every reward cell reads `pending` instead of a row of zeros.
 *
 * @example
 * const table = formatDevnetTable({ uids: [0, 1, 2], windowsPerEpoch: 3 });
 * table.header(); // 'window  held-out loss  uid 0 TSR  uid 1 TSR  uid 2 TSR'
 */
export function formatDevnetTable(parameters: {
  uids: readonly number[];
  windowsPerEpoch: number;
}): DevnetTable {
  const { uids, windowsPerEpoch } = parameters;
  const titles = ['window', 'held-out loss', ...uids.map((uid) => `uid ${uid} TSR`)];
  // Room for a loss like 10.1234 and rewards up to 9999999.99 without shifting a column.
  const widths = titles.map((title, i) => Math.max(title.length, i === 0 ? 6 : i === 1 ? 7 : 10));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ');
  return {
    note: () => [
      `Rewards are credited when an epoch settles: epoch e (windows ${windowsPerEpoch}e to ${windowsPerEpoch}e+${windowsPerEpoch - 1}) from the start of epoch e+2, the first at window ${2 * windowsPerEpoch}; "pending" until then.`,
    ],
    header: () => line(titles),
    row: (row) => {
      const settled = Object.values(row.rewardsWei).some((wei) => wei > 0n);
      return line([
        String(row.window),
        row.heldOutLoss.toFixed(4),
        ...uids.map((uid) =>
          settled ? Number(formatUnits(row.rewardsWei[uid] ?? 0n, 18)).toFixed(2) : 'pending',
        ),
      ]);
    },
  };
}
