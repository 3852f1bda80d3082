import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repositoryRoot } from './_test/roleProcesses.js';

const run = promisify(execFile);
const minute = 60_000;

// What a new operator does: clone, install, run the CLI. The clone holds only what is
// committed (HEAD), so nothing built in this working tree (contract bindings, dist/) can
// make it pass; the install must build what the CLI needs, offline.

let clone: string;

beforeAll(async () => {
  clone = mkdtempSync(join(tmpdir(), 'tessera-clone-'));
  await run('git', ['clone', '--quiet', '--depth', '1', `file://${repositoryRoot}`, clone]);
  expect(existsSync(join(clone, 'packages/contracts/src/generated'))).toBe(false);
  const install = ['--prefer-offline', '--no-audit', '--no-fund'];
  try {
    await run('npm', ['ci', ...install], { cwd: clone, maxBuffer: 64 << 20 });
  } catch {
    // As .ci/run does: npm ci refuses a lock file without some optional platform packages.
    await run('npm', ['install', ...install], { cwd: clone, maxBuffer: 64 << 20 });
  }
}, 8 * minute);

afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

const tessera = (args: string[]) =>
  run(process.execPath, [join(clone, 'packages/cli/bin/tessera.js'), ...args], {
    cwd: clone,
    env: { ...process.env, TESSERA_PRIVATE_KEY: '' },
  });

describe('a fresh checkout', () => {
  it('built the contract bindings during the install', () => {
    expect(existsSync(join(clone, 'packages/contracts/src/generated/Subnet.ts'))).toBe(true);
  });

  it('runs tessera --help, listing the commands', async () => {
    const { stdout } = await tessera(['--help']);
    for (const command of ['miner', 'validator', 'worker', 'register', 'devnet'])
      expect(stdout).toContain(command);
  });

  it('runs tessera miner --help, listing its options', async () => {
    const { stdout } = await tessera(['miner', '--help']);
    for (const flag of ['--store', '--rpc-url', '--run']) expect(stdout).toContain(flag);
  });
});
