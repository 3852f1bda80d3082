import { WalletError } from '../wallet/walletError.js';

/**
 * The reason a failing call threw, checked to be a WalletError whose message names none of
 * `secrets`.
 *
 * @example
 * expect(await walletReasonOf(decryptEvmKey({ json, password: 'wrong', path }), [password])).toBe('bad-password');
 */
export async function walletReasonOf(promise: Promise<unknown>, secrets: readonly string[]): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WalletError);
  const { reason, message } = error as WalletError;
  for (const secret of secrets) expect(message).not.toContain(secret);
  return reason;
}
