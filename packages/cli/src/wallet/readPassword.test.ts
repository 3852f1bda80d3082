import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { readPassword } from './readPassword.js';
import type { PasswordTerminal } from './readPassword.js';
import { WalletError } from './walletError.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-password-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A terminal whose keys are `typed`, and what it showed. */
function terminal(typed: string, isTTY = true): PasswordTerminal & { shown: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY, isRaw: false, setRawMode: () => input });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  setImmediate(() => input.write(typed));
  return { input: input as unknown as NodeJS.ReadStream, output, shown: () => shown };
}

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof WalletError ? error.reason : String(error)),
  );

describe('readPassword', () => {
  it('takes the first line of --password-file, before TESSERA_WALLET_PASSWORD', async () => {
    const path = join(dir, 'password');
    await writeFile(path, 'from the file\r\nsecond line\n');
    const env = { TESSERA_WALLET_PASSWORD: 'from the environment' };
    await expect(readPassword({ passwordFile: path, env, purpose: 'x' })).resolves.toBe('from the file');
    await expect(readPassword({ env, purpose: 'x' })).resolves.toBe('from the environment');
  });

  it('asks on a terminal without echoing, twice for a new key', async () => {
    const once = terminal('s3cret\r');
    await expect(readPassword({ env: {}, purpose: 'wallet "ops"', terminal: once })).resolves.toBe('s3cret');
    expect(once.shown()).toBe('Password for wallet "ops": \n');
    const twice = terminal('s3cret\r\ns3cret\r\n');
    await expect(readPassword({ env: {}, purpose: 'x', confirm: true, terminal: twice })).resolves.toBe(
      's3cret',
    );
    expect(
      await reasonOf(readPassword({ env: {}, purpose: 'x', confirm: true, terminal: terminal('a\rb\r') })),
    ).toBe('no-password');
  });

  it('refuses when there is no password: no file, no variable, no terminal; or an empty one', async () => {
    expect(await reasonOf(readPassword({ env: {}, purpose: 'x', terminal: terminal('', false) }))).toBe(
      'no-password',
    );
    const empty = join(dir, 'empty');
    await writeFile(empty, '\n');
    expect(await reasonOf(readPassword({ passwordFile: empty, env: {}, purpose: 'x' }))).toBe('no-password');
    expect(await reasonOf(readPassword({ passwordFile: join(dir, 'absent'), env: {}, purpose: 'x' }))).toBe(
      'not-found',
    );
  });
});
