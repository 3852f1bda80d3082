import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidatorError } from './errors/validator.js';
import { loadEvalSecret } from './loadEvalSecret.js';

describe('loadEvalSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tessera-secret-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates 32 random bytes once, readable only by the owner, and returns them again after', async () => {
    const stateDir = join(dir, 'state');
    const first = await loadEvalSecret({ stateDir });
    expect(first).toHaveLength(32);
    expect((await stat(join(stateDir, 'eval-secret'))).mode & 0o777).toBe(0o600);
    expect(await loadEvalSecret({ stateDir })).toEqual(first);
    expect((await readFile(join(stateDir, 'eval-secret'), 'utf8')).trim()).toBe(
      Buffer.from(first).toString('hex'),
    );
  });

  it('refuses a malformed secret file', async () => {
    await writeFile(join(dir, 'eval-secret'), 'not hex');
    await expect(loadEvalSecret({ stateDir: dir })).rejects.toBeInstanceOf(ValidatorError);
  });
});
