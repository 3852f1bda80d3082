import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalletError } from './walletError.js';
import { writeKeyFile } from './writeKeyFile.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-keyfile-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('writeKeyFile', () => {
  it('writes the file 0600 in folders it makes 0700, leaving nothing beside it', async () => {
    const path = join(dir, 'wallets', 'ops', 'hotkeys', 'default');
    await writeKeyFile({ path, text: 'secret text' });
    expect(await readFile(path, 'utf8')).toBe('secret text');
    expect(await modeOf(path)).toBe(0o600);
    expect(await modeOf(join(dir, 'wallets', 'ops', 'hotkeys'))).toBe(0o700);
    expect(await modeOf(join(dir, 'wallets', 'ops'))).toBe(0o700);
    expect(await readdir(join(dir, 'wallets', 'ops', 'hotkeys'))).toEqual(['default']);
  });

  it('never replaces a key without force, and replaces it whole with force', async () => {
    const path = join(dir, 'coldkey');
    await writeKeyFile({ path, text: 'first' });
    const refused = await writeKeyFile({ path, text: 'second' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WalletError);
    expect((refused as WalletError).reason).toBe('exists');
    expect(await readFile(path, 'utf8')).toBe('first');
    await writeKeyFile({ path, text: 'third', force: true });
    expect(await readFile(path, 'utf8')).toBe('third');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['coldkey']);
  });
});
