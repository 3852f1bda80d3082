import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
// A tmux server of this test's own, so no one's sessions are touched.
const socket = `tessera-devnet-screen-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** Where each column of a right-aligned line ends: [end index, text] per cell two spaces apart. */
function cellEnds(line: string): { end: number; text: string }[] {
  return [...line.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ end: m.index + m[0].length, text: m[0] }));
}

describe('devnet on a terminal', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'tessera-devnet-screen-'));
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // Gone already.
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it(
    'shows each window’s steps, a table whose columns line up, when rewards settle, and no warnings',
    async () => {
      const command = [
        quote(process.execPath),
        '--conditions=source',
        '--import',
        'tsx',
        quote(join(root, 'packages/cli/src/main.ts')),
        'devnet',
        '--windows',
        '2',
        '--state-dir',
        quote(stateDir),
      ].join(' ');
      tmux(
        'new-session',
        '-d',
        '-x',
        '160',
        '-y',
        '50',
        '-s',
        'devnet',
        '-c',
        root,
        `${command}; echo "devnet exited with $?"; sleep 600`,
      );
      let screen = '';
      const until = Date.now() + 12 * 60_000;
      while (!/devnet exited with \d+/.test(screen)) {
        if (Date.now() > until) throw new Error(`the devnet did not finish; the screen:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        // The whole history, not only what fits on the 50 lines.
        screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'devnet');
      }
      const lines = screen.split('\n');
      expect(screen).toContain('devnet exited with 0');

      // No warnings, neither Node's nor our own log lines.
      expect(lines.filter((line) => /Warning|\bWARN\b/.test(line))).toEqual([]);

      // A progress line for each step of each window the devnet evaluated.
      for (const window of [0, 1]) {
        for (const phase of ['train', 'commit', 'evaluate', 'aggregate']) {
          const pattern = new RegExp(`^\\s*window\\s+${window}\\s+${phase}\\s{2,}\\S`);
          expect({ window, phase, shown: lines.some((line) => pattern.test(line)) }).toEqual({
            window,
            phase,
            shown: true,
          });
        }
      }

      // The header's titles are two spaces apart or more, and every row's cells end where
      // their titles end.
      const headerAt = lines.findIndex((line) => /^\s*window\s{2,}held-out loss\s{2,}uid 0 TSR/.test(line));
      expect(headerAt).toBeGreaterThan(0);
      const header = cellEnds(lines[headerAt]!);
      expect(header.map((cell) => cell.text)).toEqual([
        'window',
        'held-out loss',
        'uid 0 TSR',
        'uid 1 TSR',
        'uid 2 TSR',
        'uid 3 TSR',
      ]);
      const rows = lines.slice(headerAt + 1).filter((line) => /^\s*\d+\s{2,}\d+\.\d{4}\s/.test(line));
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(cellEnds(row).map((cell) => cell.end)).toEqual(header.map((c) => c.end));

      // Rewards arrive at settlement: the table says so, and shows "pending" until then.
      expect(
        lines.slice(0, headerAt).some((line) => /Rewards are credited when an epoch settles/.test(line)),
      ).toBe(true);
      for (const row of rows)
        expect(
          cellEnds(row)
            .slice(2)
            .map((cell) => cell.text),
        ).toEqual(Array(4).fill('pending'));
    },
    15 * 60_000,
  );
});
