import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isChainError } from '../../errors/chain.js';
import { createSubtensorRevealStore as createRevealStore } from './createSubtensorRevealStore.js';
import type { PendingReveal } from './types.js';

const reveal = (n: number): PendingReveal => ({
  netuid: 1,
  hash: `0x${n.toString(16).padStart(64, '0')}`,
  uids: [0, 1],
  values: [65535, 100],
  salt: [1, 2, 3, 4, 5, 6, 7, n],
  versionKey: '18446744073709551615',
  commitBlock: 100 + n,
  firstRevealBlock: 200,
  lastRevealBlock: 300,
});

describe('createSubtensorRevealStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-reveals-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps reveals across restarts in an owner-only file', () => {
    const path = join(dir, 'nested', 'reveals.json');
    const store = createRevealStore({ path });
    store.add(reveal(1));
    store.add(reveal(2));
    store.remove(reveal(1).hash);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(createRevealStore({ path }).list()).toEqual([reveal(2)]);
  });

  it('works in memory without a path and replaces a reveal with the same hash', () => {
    const store = createRevealStore();
    store.add(reveal(1));
    store.add({ ...reveal(1), commitBlock: 999 });
    expect(store.list()).toEqual([{ ...reveal(1), commitBlock: 999 }]);
  });

  it('refuses a file that is not a reveal list', () => {
    const path = join(dir, 'reveals.json');
    for (const content of ['not json', '{"a":1}', JSON.stringify([{ ...reveal(1), salt: [70000] }])]) {
      writeFileSync(path, content);
      try {
        createRevealStore({ path });
        throw new Error('expected a throw');
      } catch (error) {
        expect(isChainError(error) && error.reason).toBe('invalid-parameter');
      }
    }
    expect(readFileSync(path, 'utf8')).toContain('70000');
  });
});
