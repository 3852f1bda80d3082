import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidatorError } from './errors/validator.js';

/**
 * Reads the validator's evaluation secret from `<stateDir>/eval-secret` (64 hex digits),
 * creating it from 32 random bytes (mode 0600) on first use, so the evaluation pages stay
 * the same across restarts and unknowable to everyone else.
 *
 * @returns 32 bytes.
 * @throws ValidatorError `bad-state` when the file exists but does not hold 64 hex digits.
 * @example
 * const secret = await loadEvalSecret({ stateDir: '.tessera/validator' });
 */
export async function loadEvalSecret(parameters: { stateDir: string }): Promise<Uint8Array> {
  const path = join(parameters.stateDir, 'eval-secret');
  let text: string | undefined;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text === undefined) {
    const secret = randomBytes(32);
    await mkdir(parameters.stateDir, { recursive: true });
    // 'wx': two processes starting at once cannot both write a secret.
    try {
      await writeFile(path, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      return new Uint8Array(secret);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      text = (await readFile(path, 'utf8')).trim();
    }
  }
  if (!/^[0-9a-f]{64}$/i.test(text)) {
    throw new ValidatorError('bad-state', 'The evaluation secret file is malformed.', {
      details: path,
      hint: 'Delete it to make a new one (evaluation pages change from then on).',
    });
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}
