import { NonRetryableReasonError } from '@tessera/core';

/** What went wrong with a wallet: a name, a file, a password or a key. */
export type WalletReason =
  | 'bad-name'
  | 'not-found'
  | 'exists'
  | 'bad-password'
  | 'no-password'
  | 'bad-keystore'
  | 'unsupported-keystore'
  | 'bad-secret';

/**
 * A wallet or keystore could not be used: retrying the same command cannot help; the message
 * says which file and what to do. Never carries a secret or a password.
 *
 * @example
 * throw new WalletError('bad-password', 'Wrong password for evm/default.json.', { hint: '…' });
 */
export class WalletError extends NonRetryableReasonError<WalletReason> {
  override name = 'WalletError';
}
