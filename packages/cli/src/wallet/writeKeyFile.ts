import { writeNewFile } from '../fs/writeNewFile.js';
import { WalletError } from './walletError.js';

/**
 * Writes a key file readable by its owner only (0600), creating its folders owner-only (0700),
 * atomically, so a reader or a crash sees the whole old file or the whole new one, never a
 * part. Without `force` an existing file is never replaced.
 *
 * @throws WalletError `exists` when the file is there and `force` is not set.
 * @example
 * await writeKeyFile({ path: layout.evm('default'), text: json });
 */
export async function writeKeyFile(parameters: {
  path: string;
  text: string;
  force?: boolean | undefined;
}): Promise<void> {
  await writeNewFile({
    ...parameters,
    ownerOnly: true,
    exists: (path) =>
      new WalletError('exists', `${path} exists already.`, {
        hint: 'Pass --force to replace it (the key in it is lost unless you have a copy), or choose another --wallet or --hotkey-name.',
      }),
  });
}
