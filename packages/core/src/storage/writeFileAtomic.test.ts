import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rejectionOf } from '../_test/rejectionOf.js';
import { tempDir } from '../_test/tempDir.js';
import { writeFileAtomic, writeFileAtomicSync } from './writeFileAtomic.js';

describe('writeFileAtomic', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.cleanup());

  it.each([
    ['writeFileAtomic', writeFileAtomic],
    ['writeFileAtomicSync', writeFileAtomicSync],
  ] as const)(
    '%s creates the folder, replaces the content and leaves no temporary file',
    async (_name, write) => {
      const path = join(dir.path, 'state', 'miner.bin');
      await write({ path, bytes: Uint8Array.of(1, 2, 3) });
      await write({ path, bytes: 'four' });
      expect(await readFile(path, 'utf8')).toBe('four');
      expect(await readdir(join(dir.path, 'state'))).toEqual(['miner.bin']);
    },
  );

  it('with replace: false takes a free name, and leaves a file already there as it was', async () => {
    const path = join(dir.path, 'run.json');
    await writeFileAtomic({ path, bytes: 'first', replace: false });
    expect(await readFile(path, 'utf8')).toBe('first');
    const error = await rejectionOf(writeFileAtomic({ path, bytes: 'second', replace: false }));
    expect(error).toMatchObject({ code: 'EEXIST' });
    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(dir.path)).toEqual(['run.json']);
  });

  it('gives a new file the mode asked for', async () => {
    if (process.platform === 'win32') return; // no POSIX permissions there
    const path = join(dir.path, 'secret.json');
    await writeFileAtomic({ path, bytes: '{}', mode: 0o600 });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    writeFileAtomicSync({ path: join(dir.path, 'reveals.json'), bytes: '[]', mode: 0o600 });
    expect((await stat(join(dir.path, 'reveals.json'))).mode & 0o777).toBe(0o600);
  });

  it('keeps the old content when the signal aborts before the rename', async () => {
    const path = join(dir.path, 'update.tsu');
    await writeFile(path, 'old');
    const reason = new Error('stopping');
    const error = await rejectionOf(
      writeFileAtomic({ path, bytes: 'new', signal: AbortSignal.abort(reason) }),
    );
    expect(error).toBe(reason);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(dir.path)).toEqual(['update.tsu']);
  });

  it('removes its temporary file when the rename fails', async () => {
    const path = join(dir.path, 'taken');
    await mkdir(join(path, 'inside'), { recursive: true }); // a non-empty folder cannot be renamed over
    expect(await rejectionOf(writeFileAtomic({ path, bytes: 'x' }))).toMatchObject({
      code: expect.any(String),
    });
    expect(() => writeFileAtomicSync({ path, bytes: 'x' })).toThrow();
    expect(await readdir(dir.path)).toEqual(['taken']);
  });
});
