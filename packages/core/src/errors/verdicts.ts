import { NonRetryableReasonError } from '@tessera/errors';

/**
 * Why a window's verdicts file was refused.
 *
 * - `too-large`: more bytes than the reader accepts.
 * - `malformed`: not JSON, or not the schema of {@link WindowVerdicts} (the details name the field).
 * - `digest-mismatch`: the file's `digest` is not keccak256 of its canonical body.
 * - `wrong-aggregate`: window, validator, model hash or aggregation set differ from the
 *   aggregate record on chain the file was read for.
 * - `invalid-parameter`: the writer was given values outside the schema.
 */
export type WindowVerdictsErrorReason =
  'too-large' | 'malformed' | 'digest-mismatch' | 'wrong-aggregate' | 'invalid-parameter';

/**
 * A window's verdicts file is unusable; retrying the same file cannot help.
 *
 * @example
 * try { parseWindowVerdicts({ bytes, aggregate }) } catch (error) {
 *   if (error instanceof WindowVerdictsError && error.reason === 'digest-mismatch') …
 * }
 */
export class WindowVerdictsError extends NonRetryableReasonError<WindowVerdictsErrorReason> {
  override name = 'WindowVerdictsError';
}
