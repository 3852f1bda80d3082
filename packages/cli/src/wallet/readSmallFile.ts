import { readFile, stat } from 'node:fs/promises';
import { WalletError } from './walletError.js';

/**
 * The text of a small regular file holding a secret (a password, a mnemonic), refusing
 * anything else before reading it: a folder, a device, a file larger than `maxBytes`.
 *
 * @throws WalletError `not-found`, "The `what` file … cannot be read.", when it is missing,
 *   unreadable, not a regular file or too large, with `hint`.
 * @example
 * const text = await readSmallFile({ path: passwordFile, what: 'password', maxBytes: 4096, hint });
 */
export async function readSmallFile(parameters: {
  path: string;
  /** What the file holds, for the error. */
  what: string;
  maxBytes: number;
  /** What to do when it cannot be read. */
  hint: string;
}): Promise<string> {
  const { path } = parameters;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > parameters.maxBytes) throw new Error('not a small regular file');
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new WalletError('not-found', `The ${parameters.what} file ${path} cannot be read.`, {
      details: error instanceof Error ? error.message : undefined,
      hint: parameters.hint,
    });
  }
}
