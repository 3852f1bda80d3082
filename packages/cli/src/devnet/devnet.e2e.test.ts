import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevnetSummary } from './runDevnet.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Runs `tessera devnet --json` as its own process and returns the summary line. */
function runDevnetProcess(args: string[]): Promise<{ summary: DevnetSummary; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        join(root, 'packages/cli/src/main.ts'),
        'devnet',
        '--json',
        ...args,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`devnet exited ${code}\n${stderr.slice(-4000)}`));
      try {
        resolve({ summary: JSON.parse(last) as DevnetSummary, stderr });
      } catch {
        reject(new Error(`last stdout line is not JSON: ${last}\n${stderr.slice(-4000)}`));
      }
    });
  });
}

describe('devnet end to end', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'tessera-devnet-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it(
    'trains the model and pays honest miners, not copycats or noise',
    async () => {
      const { summary } = await runDevnetProcess([
        '--windows',
        '6',
        '--miners',
        '3',
        '--adversaries',
        'copycat,noise',
        '--state-dir',
        stateDir,
        '--log-level',
        'warn',
      ]);
      expect(summary.windows).toBe(6);

      // The model the network produces gets better on data nobody trained on.
      const loss = summary.heldOutLoss;
      expect(loss).toHaveLength(7);
      expect(loss.at(-1)!).toBeLessThan(loss[0]! - 0.2);

      const honest = summary.miners.filter((m) => m.strategy === 'honest').map((m) => BigInt(m.rewardsWei));
      const adversaries = summary.miners
        .filter((m) => m.strategy !== 'honest')
        .map((m) => BigInt(m.rewardsWei));
      expect(honest).toHaveLength(3);
      expect(adversaries).toHaveLength(2);
      const minHonest = honest.reduce((a, b) => (a < b ? a : b));
      const maxAdversary = adversaries.reduce((a, b) => (a > b ? a : b));
      expect(minHonest).toBeGreaterThan(0n);
      expect(minHonest).toBeGreaterThan(maxAdversary);

      const total = [...honest, ...adversaries].reduce((a, b) => a + b, 0n);
      const adversaryTotal = adversaries.reduce((a, b) => a + b, 0n);
      expect(adversaryTotal * 100n).toBeLessThan(total * 5n);

      expect(summary.validators).toHaveLength(1);
      expect(BigInt(summary.validators[0]!.rewardsWei)).toBeGreaterThan(0n);
    },
    15 * 60_000,
  );
});
